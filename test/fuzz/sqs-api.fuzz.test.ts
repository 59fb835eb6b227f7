/**
 * Hostile input never crashes the SQS API (issue 14, item 6), over real HTTP to a real `flint
 * serve`: property-based JSON-protocol requests (`X-Amz-Target: AmazonSQS.*`, every operation and
 * unknown ones, members of the right name with wrong types and odd values, garbage bodies) and
 * query-protocol forms (every Action, flattened members, odd keys such as `__proto__.x`) posted to
 * `/` and to queue URLs. Every answer: no 5xx, no stack trace or source path, an error in SQS's
 * shape (`__type` and `x-amzn-query-error`, or an XML `<ErrorResponse>`); Object.prototype stays
 * clean; afterwards the process is alive and a queue works. Then, with `--auth sigv4`, the same
 * requests unsigned or with forged signatures are never served. Seeded (FUZZ_SEED); the number of
 * inputs tried is printed for docs/fuzzing.md.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import fc from 'fast-check';
import { removeDataDir, startFlintProcess, type FlintProcess } from '../helpers/flint-process.ts';
import { bodyArb, checkAnswer, checkProperty, FUZZ_SEED, headersArb, rawPath, RawClient, type Answer, type Sent } from './fuzz-support.ts';

const ACCOUNT = '000000000000';
const OPERATIONS = [
  'CreateQueue', 'GetQueueUrl', 'ListQueues', 'GetQueueAttributes', 'SetQueueAttributes', 'DeleteQueue', 'PurgeQueue', 'SendMessage', 'SendMessageBatch',
  'ReceiveMessage', 'DeleteMessage', 'DeleteMessageBatch', 'ChangeMessageVisibility', 'ChangeMessageVisibilityBatch', 'TagQueue', 'UntagQueue', 'ListQueueTags',
] as const;
const KNOWN_QUEUES = ['fz-std', 'fz-dlq', 'fz-fifo.fifo'];
const ATTRIBUTE_NAMES = [
  'All', 'VisibilityTimeout', 'MessageRetentionPeriod', 'DelaySeconds', 'ReceiveMessageWaitTimeSeconds', 'MaximumMessageSize', 'RedrivePolicy', 'RedriveAllowPolicy',
  'FifoQueue', 'ContentBasedDeduplication', 'QueueArn', 'ApproximateNumberOfMessages', 'Policy', 'KmsMasterKeyId', 'SqsManagedSseEnabled', 'Bogus', '',
];
/** Attribute values: valid, out of range, wrong type; never a long poll or a delay that would make the suite slow. */
const attributeValue = fc.oneof(
  fc.constantFrom('0', '1', '-1', '21', '900', '1209601', '262145', '1024', 'true', 'false', 'TRUE', '', 'x', '1e3', '0x10', ' 5', '9'.repeat(30)),
  fc.constantFrom(
    `{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:${ACCOUNT}:fz-dlq","maxReceiveCount":3}`, '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:1:nope","maxReceiveCount":"x"}',
    '{"maxReceiveCount":0}', '{', '[]', 'null', `{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:${ACCOUNT}:fz-fifo.fifo","maxReceiveCount":1001}`, '{"redrivePermission":"denyAll"}',
  ),
  fc.string({ maxLength: 12 }),
);
const attributesArb = fc.dictionary(fc.constantFrom(...ATTRIBUTE_NAMES.filter((n) => n !== 'ReceiveMessageWaitTimeSeconds' && n !== 'DelaySeconds'), '__proto__', 'constructor'), attributeValue, { maxKeys: 4 });

describe('fuzzing the SQS API over HTTP', () => {
  let flint: FlintProcess;
  let http: RawClient;
  let sqs: SQSClient;
  let origin = '';
  let receiptHandle = '';

  before(async () => {
    flint = await startFlintProcess();
    http = new RawClient(flint.endpoint);
    origin = flint.endpoint;
    sqs = new SQSClient({ endpoint: flint.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
    await createKnownQueues();
    const url = `${origin}/${ACCOUNT}/fz-std`;
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'seed' }));
    receiptHandle = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 0 }))).Messages?.[0]?.ReceiptHandle ?? '';
    assert.notEqual(receiptHandle, '');
  });
  after(async () => {
    sqs?.destroy();
    if (!flint) return;
    await flint.stop();
    removeDataDir(flint.dataDir);
  });

  async function createKnownQueues(): Promise<void> {
    for (const name of KNOWN_QUEUES) {
      await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: name.endsWith('.fifo') ? { FifoQueue: 'true' } : {} }));
    }
  }

  const queueUrlArb = (): fc.Arbitrary<string> => fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...KNOWN_QUEUES).map((q) => `${origin}/${ACCOUNT}/${q}`) },
    { weight: 1, arbitrary: fc.constantFrom(`${origin}/${ACCOUNT}/nope`, `${origin}/111111111111/fz-std`, 'fz-std', '', `${origin}/`, `${origin}/${ACCOUNT}/`, `${origin}/${ACCOUNT}/fz-std/extra`, 'http://[::1', `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/fz-std`, `${origin}/${ACCOUNT}/${'a'.repeat(100)}`) },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  );
  const nameArb = fc.oneof(fc.constantFrom(...KNOWN_QUEUES, 'new-q', 'new.fifo', '', '.fifo', 'a'.repeat(81), 'sp ace', 'ü', '../x', '__proto__'), fc.stringMatching(/^[a-zA-Z0-9_-]{1,20}(\.fifo)?$/));
  const numberArb = fc.oneof(fc.constantFrom(0, 1, 10, 11, -1, 43_200, 43_201, 1.5, 2 ** 53, Number.MAX_VALUE), fc.constantFrom('1', 'x', '', null, true, [], {}));
  const messageAttributesArb = fc.dictionary(
    fc.oneof(fc.constantFrom('a', 'AWS.x', 'amazon.y', '.dot', 'dot.', 'a..b', '__proto__', 'x'.repeat(257)), fc.string({ maxLength: 10 })),
    fc.oneof(
      fc.record({ DataType: fc.constantFrom('String', 'Number', 'Binary', 'String.custom', 'Number.x', 'Bogus', ''), StringValue: fc.oneof(fc.constantFrom('1', '1e400', '-', 'x', '\u0000', '\ud800'), fc.string({ maxLength: 8 })), BinaryValue: fc.constantFrom('AAAA', '!!', '', 'QQ=') }, { requiredKeys: [] }),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    { maxKeys: 3 },
  );
  const entryArb = fc.record({
    Id: fc.oneof(fc.constantFrom('a', 'a', 'b', '', 'x'.repeat(81), 'bad id!'), fc.string({ maxLength: 5 })),
    MessageBody: fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('', '\u0000', '\ud800', '\uffff', 'x'.repeat(262_145))),
    ReceiptHandle: fc.oneof(fc.constant('REAL'), fc.constantFrom('', 'x', 'AAAA'), fc.base64String({ maxLength: 40 })),
    VisibilityTimeout: numberArb, DelaySeconds: fc.constantFrom(0, 1, -1, 901, 'x'),
    MessageGroupId: fc.constantFrom('g', '', 'x'.repeat(129), '\u0001'), MessageDeduplicationId: fc.constantFrom('d', '', 'x'.repeat(129)),
    MessageAttributes: messageAttributesArb,
  }, { requiredKeys: [] });

  /** A JSON input: the members an SQS operation reads, each with an odd value now and then. */
  const inputArb = (): fc.Arbitrary<Record<string, unknown>> => fc.record({
    QueueUrl: queueUrlArb(), QueueName: nameArb, QueueNamePrefix: fc.constantFrom('', 'fz', 'x'.repeat(81)), QueueOwnerAWSAccountId: fc.constantFrom(ACCOUNT, '1', ''),
    Attributes: fc.oneof(attributesArb, fc.jsonValue({ maxDepth: 1 })), AttributeNames: fc.oneof(fc.array(fc.constantFrom(...ATTRIBUTE_NAMES), { maxLength: 3 }), fc.constant('All')),
    MessageAttributeNames: fc.array(fc.constantFrom('All', '.*', 'a.*', 'a', '', 'AWS.x'), { maxLength: 3 }), MessageSystemAttributeNames: fc.array(fc.constantFrom('All', 'SenderId', 'AWSTraceHeader', 'x'), { maxLength: 2 }),
    MessageBody: entryArb.map((e) => e.MessageBody), MessageAttributes: messageAttributesArb, MessageSystemAttributes: fc.constantFrom({ AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-x' } }, { Bogus: {} }, 'x'),
    DelaySeconds: fc.constantFrom(0, 1, -1, 901, 'x'), MaxNumberOfMessages: numberArb, VisibilityTimeout: numberArb, WaitTimeSeconds: fc.constantFrom(0, 1, -1, 21, 'x', null),
    ReceiptHandle: entryArb.map((e) => e.ReceiptHandle), Entries: fc.oneof(fc.array(entryArb, { maxLength: 11 }), fc.jsonValue({ maxDepth: 1 })),
    Tags: fc.oneof(fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 8 }), fc.integer())), fc.constant('x')), TagKeys: fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
    MaxResults: numberArb, NextToken: fc.constantFrom('', 'x', 'eyJ9', '%%%'), MessageGroupId: fc.constantFrom('g', '', 'x'.repeat(129)), MessageDeduplicationId: fc.constantFrom('d', '', 'x'.repeat(129)),
  }, { requiredKeys: [] }).map((input) => JSON.parse(JSON.stringify(input).replaceAll('"REAL"', JSON.stringify(receiptHandle))) as Record<string, unknown>);

  const jsonRequestArb = (): fc.Arbitrary<Sent> => fc.record({
    target: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...OPERATIONS).map((o) => `AmazonSQS.${o}`) }, { weight: 1, arbitrary: fc.constantFrom('AmazonSQS.', 'AmazonSQS.Bogus', 'AmazonSQS.__proto__', 'AmazonSQS.constructor', 'AmazonSQS.toString', 'AmazonSQS.hasOwnProperty') }),
    body: fc.oneof({ weight: 4, arbitrary: inputArb().map((i) => JSON.stringify(i)) }, { weight: 1, arbitrary: bodyArb(['QueueUrl', 'QueueName', 'Entries', 'Attributes', 'MessageBody']) }),
    contentType: fc.constantFrom('application/x-amz-json-1.0', 'application/x-amz-json-1.0', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', ''),
    headers: headersArb(),
  }).map(({ target, body, contentType, headers }) => ({
    method: 'POST', path: '/', body,
    headers: { ...headers, ...(contentType === '' ? {} : { 'content-type': contentType }), 'x-amz-target': target },
  }));

  /** A query form: the flattened members of an SQS operation, and odd keys. */
  const formArb = (): fc.Arbitrary<string> => fc.tuple(
    fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...OPERATIONS) }, { weight: 1, arbitrary: fc.constantFrom('', 'Bogus', '__proto__', 'toString', 'constructor') }),
    fc.array(fc.tuple(
      fc.oneof(
        fc.constantFrom('QueueUrl', 'QueueName', 'MessageBody', 'DelaySeconds', 'MaxNumberOfMessages', 'VisibilityTimeout', 'WaitTimeSeconds', 'ReceiptHandle', 'QueueNamePrefix', 'MaxResults', 'NextToken', 'MessageGroupId', 'MessageDeduplicationId', 'Version'),
        fc.tuple(fc.constantFrom('Attribute', 'Tag', 'MessageAttribute', 'AttributeName', 'TagKey', 'MessageAttributeName', 'SendMessageBatchRequestEntry', 'DeleteMessageBatchRequestEntry', 'ChangeMessageVisibilityBatchRequestEntry'), fc.constantFrom('1', '2', '0', '-1', '10', '11', 'x', ''), fc.constantFrom('', '.Name', '.Value', '.Key', '.Id', '.MessageBody', '.ReceiptHandle', '.Value.DataType', '.Value.StringValue', '.Value.BinaryValue', '.MessageAttribute.1.Name', '.1'))
          .map(([list, n, rest]) => `${list}.${n}${rest}`),
        fc.constantFrom('__proto__.QueueName', '__proto__.polluted', 'constructor.prototype.QueueName', 'Attribute.__proto__.Name', 'toString', 'hasOwnProperty.1', 'a.b.c.d.e.f', '.', '..', ''),
      ),
      fc.oneof(fc.constantFrom('REAL', 'fz-std', `${ACCOUNT}`, '1', '-1', '', 'true', 'All', 'String', 'x'.repeat(300)), fc.string({ maxLength: 12 })),
    ), { maxLength: 8 }),
  ).map(([action, pairs]) => new URLSearchParams([['Action', action], ...pairs.map(([k, v]) => [k, v === 'REAL' ? receiptHandle : v] as [string, string])]).toString());

  const queryRequestArb = (): fc.Arbitrary<Sent> => fc.record({
    path: fc.oneof(fc.constant('/'), fc.constantFrom(...KNOWN_QUEUES).map((q) => `/${ACCOUNT}/${q}`), fc.constantFrom(`/${ACCOUNT}/nope`, '/111111111111/fz-std', `/${ACCOUNT}/${'a'.repeat(300)}`), fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })).map(([a, b]) => `/${rawPath(a) || 'a'}/${rawPath(b) || 'b'}`)),
    form: fc.oneof({ weight: 5, arbitrary: formArb() }, { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((s) => `Action=SendMessage&${s}`) }),
    contentType: fc.constantFrom('application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8', 'application/x-www-form-urlencoded; charset=utf-16', 'text/plain'),
  }).map(({ path, form, contentType }) => ({ method: 'POST', path, headers: { 'content-type': contentType }, body: form }));

  /** SQS's shape: JSON with `__type` and `x-amzn-query-error`, or an XML `<ErrorResponse>`; a request no SQS route claims is the Lambda API's error. */
  function checkSqsAnswer(sent: Sent, answer: Answer): void {
    checkAnswer(sent, answer, { json: 'any' });
    assert.ok(answer.status < 500, `a ${answer.status}: ${sent.path} ${String(sent.body).slice(0, 300)} -> ${answer.body.toString('utf8', 0, 400)}`);
    if (answer.status < 400) return;
    const text = answer.body.toString('utf8');
    // a path no SQS route takes (one that does not decode, an unknown account) gets the Lambda API's error
    if (answer.headers['x-amzn-errortype'] !== undefined && sent.path !== '/' && !KNOWN_QUEUES.some((q) => sent.path === `/${ACCOUNT}/${q}`)) return;
    if (answer.headers['x-amzn-errortype'] === 'UnknownOperationException') return;
    if (/xml/.test(String(answer.headers['content-type']))) {
      assert.match(text, /^<\?xml version="1.0"\?><ErrorResponse [^>]*><Error><Type>Sender<\/Type><Code>[\w.]+<\/Code><Message>/s, `not SQS's XML error: ${text.slice(0, 300)}`);
      return;
    }
    const body = JSON.parse(text) as { __type?: unknown; message?: unknown };
    assert.equal(typeof body.__type, 'string', `an error without __type: ${text.slice(0, 300)}`);
    assert.match(String(answer.headers['x-amzn-query-error']), /^[\w.]+;Sender$/, `an error without x-amzn-query-error: ${text.slice(0, 300)}`);
  }

  /**
   * Flint's Object.prototype is clean: were a form key such as `__proto__.QueueName` to reach it,
   * every input would inherit the member, and GetQueueUrl without a QueueName would find a queue.
   */
  async function assertPrototypeClean(): Promise<void> {
    const probe = await http.send({ method: 'POST', path: '/', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.GetQueueUrl' }, body: '{}' });
    assert.equal(probe?.headers['x-amzn-query-error'], 'MissingParameter;Sender', `Object.prototype of Flint was written to: GetQueueUrl without a QueueName answered ${probe?.status} ${probe?.body.toString('utf8', 0, 200)}`);
  }

  const fuzz = (name: string, arb: fc.Arbitrary<Sent>, numRuns: number): Promise<void> =>
    checkProperty(name, fc.asyncProperty(arb, async (sent) => {
      const answer = await http.send(sent, 30_000);
      if (answer !== undefined) checkSqsAnswer(sent, answer);
      await assertPrototypeClean();
      if (sent.headers['x-amz-target'] === 'AmazonSQS.DeleteQueue' || /Action=DeleteQueue/.test(String(sent.body))) await createKnownQueues();
    }), { seed: FUZZ_SEED, numRuns, interruptAfterTimeLimit: 120_000 });

  it('JSON protocol: every target with odd members and bodies', () => fuzz('SQS API: JSON protocol requests', jsonRequestArb(), 700));

  it('query protocol: forms posted to / and to queue URLs', () => fuzz('SQS API: query protocol forms', queryRequestArb(), 600));

  it('afterwards the process is alive, logged no unhandled error, and a queue works', async () => {
    assert.equal(flint.child.exitCode, null, 'flint exited');
    const url = `${origin}/${ACCOUNT}/fz-std`;
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'after' }));
    assert.ok(sent.MessageId);
    assert.ok(!/unhandled error|uncaught/i.test(flint.logs()), `Flint logged an unhandled error:\n${flint.logs().split('\n').filter((l) => /unhandled|uncaught/i.test(l)).slice(0, 5).join('\n')}`);
  });
});

describe('fuzzing the SQS API under --auth sigv4', () => {
  let flint: FlintProcess;
  let http: RawClient;
  before(async () => {
    flint = await startFlintProcess({ args: ['--auth', 'sigv4'], env: { FLINT_ROOT_ACCESS_KEY_ID: 'AKIAFLINTFUZZROOT001', FLINT_ROOT_SECRET_ACCESS_KEY: 'fuzz-root-secret-0000000000000000000000' } });
    http = new RawClient(flint.endpoint);
  });
  after(async () => {
    if (!flint) return;
    await flint.stop();
    removeDataDir(flint.dataDir);
  });

  it('serves no SQS request, JSON or form, on any route, that is unsigned or signed with a forged signature', async () => {
    const forged = fc.oneof(
      fc.constant(undefined),
      fc.tuple(fc.constantFrom('AKIAFLINTFUZZROOT001', 'AKIANOBODY', 'ASIAXXXXXXXXXXXXXXXX', ''), fc.constantFrom('sqs', 'lambda', 'logs', ''), fc.constantFrom('us-east-1', 'eu-west-1'), fc.stringMatching(/^[0-9a-f]{64}$/))
        .map(([key, service, region, sig]) => `AWS4-HMAC-SHA256 Credential=${key}/20261206/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${sig}`),
      fc.string({ maxLength: 40 }),
    );
    const requestArb = fc.record({
      path: fc.constantFrom('/', `/${ACCOUNT}/q`, '/111111111111/q', `/${ACCOUNT}/q?Action=ListQueues`, '/?Action=ListQueues'),
      json: fc.boolean(),
      operation: fc.constantFrom(...OPERATIONS),
      authorization: forged,
      date: fc.constantFrom(new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, ''), '20000101T000000Z', 'garbage'),
    }).map(({ path, json, operation, authorization, date }): Sent => ({
      method: 'POST', path,
      headers: {
        ...(json ? { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${operation}` } : { 'content-type': 'application/x-www-form-urlencoded' }),
        ...(authorization === undefined ? {} : { authorization, 'x-amz-date': date }),
      },
      body: json ? JSON.stringify({ QueueName: 'stolen', QueueUrl: `http://localhost/${ACCOUNT}/q` }) : `Action=${operation}&QueueName=stolen&QueueUrl=http%3A%2F%2Flocalhost%2F${ACCOUNT}%2Fq`,
    }));
    await checkProperty('SQS API under --auth sigv4: unsigned and forged requests', fc.asyncProperty(requestArb, async (sent) => {
      const answer = await http.send(sent);
      assert.ok(answer !== undefined);
      checkAnswer(sent, answer, {});
      assert.ok(answer.status === 400 || answer.status === 403 || answer.status === 404, `served: ${sent.path} ${JSON.stringify(sent.headers)} -> ${answer.status} ${answer.body.toString('utf8', 0, 300)}`);
    }), { seed: FUZZ_SEED, numRuns: 300 });
  });
});
