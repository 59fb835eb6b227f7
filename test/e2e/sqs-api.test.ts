/**
 * Flint's SQS-compatible queues through @aws-sdk/client-sqs: every operation and its errors,
 * visibility timeouts, delays, FIFO ordering and deduplication, redrive to a dead-letter queue,
 * long polling; the query protocol through raw form posts (the AWS CLI v2.9, which speaks it, is in
 * cli-smoke.test.ts); no acknowledged message lost when Flint is killed -9.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  BatchEntryIdsNotDistinct, ChangeMessageVisibilityBatchCommand, ChangeMessageVisibilityCommand, CreateQueueCommand, DeleteMessageBatchCommand, DeleteMessageCommand,
  DeleteQueueCommand, EmptyBatchRequest, GetQueueAttributesCommand, GetQueueUrlCommand, InvalidAttributeName, InvalidAttributeValue, InvalidBatchEntryId,
  InvalidMessageContents, ListQueuesCommand, ListQueueTagsCommand, MessageNotInflight, PurgeQueueCommand, PurgeQueueInProgress, QueueDoesNotExist, QueueNameExists,
  ReceiptHandleIsInvalid, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SetQueueAttributesCommand, TagQueueCommand,
  TooManyEntriesInBatchRequest, UntagQueueCommand, type SQSClient,
} from '@aws-sdk/client-sqs';
import { removeDataDir, startFlintProcess, type FlintProcess } from '../helpers/flint-process.ts';
import { requirePostgres, startPostgres, type PostgresCluster } from '../helpers/postgres.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { expectedMd5OfMessageAttributes, queueName, rejectsWithSqs, sqsClient } from './sqs-support.ts';

const ACCOUNT = '000000000000';
const BACKENDS = ['SQLite', 'PostgreSQL'] as const;
const POSTGRES_SKIP = requirePostgres();

// Every operation against both storage adapters: Flint on its own SQLite data directory, and a front end on a PostgreSQL database (--database).
for (const backend of BACKENDS) describe(`SQS on Flint (${backend} storage)`, { skip: backend === 'PostgreSQL' ? POSTGRES_SKIP : false }, () => {
  let postgres: PostgresCluster | undefined;
  let database: string | undefined;
  let flint: FlintProcess;
  let sqs: SQSClient;
  const create = async (name: string, Attributes?: Record<string, string>): Promise<string> => (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!;
  const attributes = async (QueueUrl: string): Promise<Record<string, string>> => (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))).Attributes!;

  before(async () => {
    if (backend === 'PostgreSQL') {
      postgres = await startPostgres();
      database = await postgres.createDatabase();
    }
    flint = await startFlintProcess({ args: database === undefined ? [] : ['--database', database] });
    sqs = sqsClient(flint.endpoint);
  });
  after(async () => {
    sqs?.destroy();
    await flint?.stop();
    if (flint !== undefined) removeDataDir(flint.dataDir);
    await postgres?.stop();
  });

  it('creates, finds, lists, configures, tags and deletes queues', async () => {
    const name = queueName('life');
    const url = await create(name, { VisibilityTimeout: '45', DelaySeconds: '0' });
    const host = new URL(flint.endpoint).host;
    assert.equal(url, `http://${host}/${ACCOUNT}/${name}`);
    assert.equal(await create(name, { VisibilityTimeout: '45' }), url, 'the same attributes: the same queue');
    await rejectsWithSqs(create(name, { VisibilityTimeout: '46' }), 'QueueNameExists', 'A queue already exists with the same name and a different value for attribute VisibilityTimeout', QueueNameExists);
    assert.equal((await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl, url);
    const second = await create(`${name}-b`);
    assert.deepEqual((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: name }))).QueueUrls, [url, second]);
    const page = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: name, MaxResults: 1 }));
    assert.deepEqual(page.QueueUrls, [url]);
    assert.deepEqual((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: name, MaxResults: 1, NextToken: page.NextToken }))).QueueUrls, [second]);
    assert.equal((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: `${name}-none` }))).QueueUrls, undefined, 'SQS leaves an empty list out');

    const all = await attributes(url);
    assert.equal(all.QueueArn, `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`);
    assert.deepEqual([all.VisibilityTimeout, all.ApproximateNumberOfMessages, all.ApproximateNumberOfMessagesNotVisible, all.ApproximateNumberOfMessagesDelayed, all.MessageRetentionPeriod], ['45', '0', '0', '0', '345600']);
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: '10', ReceiveMessageWaitTimeSeconds: '2' } }));
    assert.deepEqual((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['VisibilityTimeout', 'ReceiveMessageWaitTimeSeconds'] }))).Attributes, { VisibilityTimeout: '10', ReceiveMessageWaitTimeSeconds: '2' });
    await rejectsWithSqs(sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Colour: 'red' } as Record<string, string> })), 'InvalidAttributeName', 'Unknown Attribute Colour.', InvalidAttributeName);
    await rejectsWithSqs(sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { DelaySeconds: '901' } })), 'InvalidAttributeValue', 'Invalid value for the parameter DelaySeconds.', InvalidAttributeValue);
    await rejectsWithSqs(sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Nope' as 'All'] })), 'InvalidAttributeName', 'Unknown Attribute Nope.', InvalidAttributeName);
    await rejectsWithSqs(create('bad name!'), 'InvalidParameterValue', /alphanumeric characters, hyphens, or underscores/);
    await rejectsWithSqs(create(queueName('big'), { MaximumMessageSize: '1023' }), 'InvalidAttributeValue', 'Invalid value for the parameter MaximumMessageSize.', InvalidAttributeValue);

    const configured = { VisibilityTimeout: '7', MessageRetentionPeriod: '120', DelaySeconds: '0', ReceiveMessageWaitTimeSeconds: '20', MaximumMessageSize: '1024' };
    const small = await create(queueName('all'), configured);
    const got = await attributes(small);
    assert.deepEqual(Object.fromEntries(Object.keys(configured).map((k) => [k, got[k]])), configured);
    await rejectsWithSqs(sqs.send(new SendMessageCommand({ QueueUrl: small, MessageBody: 'x'.repeat(1025) })), 'InvalidParameterValue', 'One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.');
    // ReceiveMessageWaitTimeSeconds: a receive without WaitTimeSeconds long-polls (a short poll would answer at once, with no message)
    const waiting = sqs.send(new ReceiveMessageCommand({ QueueUrl: small }));
    await new Promise((r) => setTimeout(r, 200));
    await sqs.send(new SendMessageCommand({ QueueUrl: small, MessageBody: 'x'.repeat(1024) }));
    assert.equal((await waiting).Messages?.[0]?.Body, 'x'.repeat(1024));
    const delayed = await create(queueName('delayed'), { DelaySeconds: '900' });
    await sqs.send(new SendMessageCommand({ QueueUrl: delayed, MessageBody: 'queue delay' }));
    const counts = await attributes(delayed);
    assert.deepEqual([counts.ApproximateNumberOfMessagesDelayed, counts.ApproximateNumberOfMessages], ['1', '0'], "the queue's DelaySeconds");

    await sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { team: 'a', env: 'dev' } }));
    await sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ['env'] }));
    assert.deepEqual((await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags, { team: 'a' });

    await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    await rejectsWithSqs(sqs.send(new GetQueueUrlCommand({ QueueName: name })), 'QueueDoesNotExist', 'The specified queue does not exist.', QueueDoesNotExist);
    await rejectsWithSqs(sqs.send(new DeleteQueueCommand({ QueueUrl: url })), 'QueueDoesNotExist', undefined, QueueDoesNotExist);
    await rejectsWithSqs(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' })), 'QueueDoesNotExist', undefined, QueueDoesNotExist);
    await rejectsWithSqs(sqs.send(new ListQueueTagsCommand({ QueueUrl: url })), 'QueueDoesNotExist', undefined, QueueDoesNotExist);
  });

  it('sends with attributes and receives with system attributes, MD5s checked by the SDK; deletes and purges', async () => {
    const url = await create(queueName('msg'));
    const attrs = { colour: { DataType: 'String', StringValue: 'red' }, n: { DataType: 'Number', StringValue: '7' }, raw: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2]) }, 'Zed.x_1': { DataType: 'String.custom', StringValue: 'ßé€' } };
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'héllo', MessageAttributes: attrs }));
    assert.equal(sent.MD5OfMessageAttributes, expectedMd5OfMessageAttributes(attrs));
    assert.equal(sent.MD5OfMessageBody, createHash('md5').update('héllo', 'utf8').digest('hex'));
    assert.match(sent.MessageId!, /^[0-9a-f-]{36}$/);
    assert.equal((await attributes(url)).ApproximateNumberOfMessages, '1');
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'], VisibilityTimeout: 60 }));
    assert.equal(Messages?.length, 1);
    const m = Messages![0]!;
    assert.deepEqual([m.MessageId, m.Body, m.MD5OfMessageAttributes], [sent.MessageId, 'héllo', sent.MD5OfMessageAttributes]);
    assert.deepEqual(m.MessageAttributes?.colour, { DataType: 'String', StringValue: 'red' });
    assert.deepEqual([...(m.MessageAttributes?.raw?.BinaryValue ?? [])], [0, 1, 2]);
    assert.deepEqual([m.Attributes?.ApproximateReceiveCount, m.Attributes?.SenderId], ['1', ACCOUNT]);
    assert.ok(Number(m.Attributes?.SentTimestamp) > 0 && Number(m.Attributes?.ApproximateFirstReceiveTimestamp) >= Number(m.Attributes?.SentTimestamp));
    const inFlight = await attributes(url);
    assert.deepEqual([inFlight.ApproximateNumberOfMessages, inFlight.ApproximateNumberOfMessagesNotVisible], ['0', '1']);
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages, undefined, 'hidden while in flight (SQS leaves Messages out)');
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle })); // stale: no error, as in SQS
    await rejectsWithSqs(sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'garbage' })), 'ReceiptHandleIsInvalid', 'The input receipt handle "garbage" is not a valid receipt handle.', ReceiptHandleIsInvalid);
    assert.equal((await attributes(url)).ApproximateNumberOfMessagesNotVisible, '0');

    await rejectsWithSqs(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'bad \u0001' })), 'InvalidMessageContents', /^Invalid characters found/, InvalidMessageContents);
    await rejectsWithSqs(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', DelaySeconds: 901 })), 'InvalidParameterValue', 'Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.');
    await rejectsWithSqs(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '' })), 'MissingParameter', 'The request must contain the parameter MessageBody.');
    await rejectsWithSqs(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageAttributes: { a: { DataType: 'Colour', StringValue: 'x' } } })), 'InvalidParameterValue', /supported type prefixes: Binary, Number, String/);
    await rejectsWithSqs(sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 11 })), 'InvalidParameterValue', 'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.');
    await rejectsWithSqs(sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 21 })), 'InvalidParameterValue', /WaitTimeSeconds is invalid/);

    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'to purge' }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    assert.equal((await attributes(url)).ApproximateNumberOfMessages, '0');
    await rejectsWithSqs(sqs.send(new PurgeQueueCommand({ QueueUrl: url })), 'PurgeQueueInProgress', /Only one PurgeQueue operation on .* is allowed every 60 seconds./, PurgeQueueInProgress);
  });

  it('sends, deletes and changes visibility in batches, with per-entry failures and batch errors', async () => {
    const url = await create(queueName('batch'));
    const tagged = { k: { DataType: 'Number', StringValue: '3' }, b: { DataType: 'Binary.png', BinaryValue: Buffer.from('png') } };
    const sent = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'a', MessageBody: 'one' }, { Id: 'b', MessageBody: 'two', DelaySeconds: 1000 }, { Id: 'c', MessageBody: 'three', MessageAttributes: tagged }] }));
    assert.deepEqual(sent.Successful?.map((s) => [s.Id, s.MD5OfMessageAttributes]), [['a', undefined], ['c', expectedMd5OfMessageAttributes(tagged)]]);
    assert.deepEqual(sent.Failed?.map((f) => [f.Id, f.Code, f.SenderFault]), [['b', 'InvalidParameterValue', true]]);
    const received = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages!;
    assert.deepEqual(received.map((m) => m.Body).sort(), ['one', 'three']);
    const changed = await sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: url, Entries: [{ Id: 'x', ReceiptHandle: received[0]!.ReceiptHandle, VisibilityTimeout: 0 }, { Id: 'y', ReceiptHandle: 'nope', VisibilityTimeout: 0 }] }));
    assert.deepEqual([changed.Successful?.map((s) => s.Id), changed.Failed?.map((f) => [f.Id, f.Code])], [['x'], [['y', 'ReceiptHandleIsInvalid']]]);
    await rejectsWithSqs(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: received[0]!.ReceiptHandle, VisibilityTimeout: 5 })), 'MessageNotInflight', 'The message referred to is not in flight.', MessageNotInflight);
    const once = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages!;
    assert.deepEqual(once.map((m) => m.Body), [received[0]!.Body]);
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: once[0]!.ReceiptHandle, VisibilityTimeout: 0 }));
    const again = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages!;
    assert.deepEqual(again.map((m) => m.Body), [received[0]!.Body], 'visible again at once after ChangeMessageVisibility to 0');
    const deleted = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'p', ReceiptHandle: again[0]!.ReceiptHandle }, { Id: 'q', ReceiptHandle: received[1]!.ReceiptHandle }, { Id: 'r', ReceiptHandle: 'nope' }] }));
    assert.deepEqual([deleted.Successful?.map((s) => s.Id), deleted.Failed?.map((f) => [f.Id, f.Code, f.SenderFault])], [['p', 'q'], [['r', 'ReceiptHandleIsInvalid', true]]]);
    assert.equal((await attributes(url)).ApproximateNumberOfMessagesNotVisible, '0');

    const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ Id: `e${i}`, MessageBody: 'x' }));
    await rejectsWithSqs(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [] })), 'EmptyBatchRequest', undefined, EmptyBatchRequest);
    await rejectsWithSqs(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(11) })), 'TooManyEntriesInBatchRequest', 'Maximum number of entries per request are 10. You have sent 11.', TooManyEntriesInBatchRequest);
    await rejectsWithSqs(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'a', MessageBody: 'x' }, { Id: 'a', MessageBody: 'y' }] })), 'BatchEntryIdsNotDistinct', 'Id a repeated.', BatchEntryIdsNotDistinct);
    await rejectsWithSqs(sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'bad id', ReceiptHandle: 'x' }] })), 'InvalidBatchEntryId', /can only contain alphanumeric characters/, InvalidBatchEntryId);
  });

  it('hides a message for its visibility timeout and delays a delayed one, then hands them out again', async () => {
    const url = await create(queueName('vis'));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'later', DelaySeconds: 1 }));
    assert.equal((await attributes(url)).ApproximateNumberOfMessagesDelayed, '1');
    const first = await waitFor(async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 1, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }))).Messages?.[0], { timeoutMs: 10_000, everyMs: 100, what: 'the delayed message' });
    assert.equal(first.Attributes?.ApproximateReceiveCount, '1');
    const second = await waitFor(async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }))).Messages?.[0], { timeoutMs: 10_000, everyMs: 100, what: 'the message after its visibility timeout' });
    assert.deepEqual([second.MessageId, second.Attributes?.ApproximateReceiveCount], [first.MessageId, '2']);
  });

  it('keeps FIFO message groups in order and drops duplicates', async () => {
    const url = await create(`${queueName('fifo')}.fifo`, { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    const send = (body: string, group: string, dedup?: string) => sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: dedup }));
    const a1 = await send('a1', 'a');
    await send('b1', 'b');
    await send('a2', 'a');
    const dup = await send('a1', 'a');
    assert.deepEqual([dup.MessageId, dup.SequenceNumber], [a1.MessageId, a1.SequenceNumber], 'content-based deduplication');
    const byId = await send('b-explicit', 'b', 'dedup-1');
    assert.equal((await send('other body, same id', 'b', 'dedup-1')).MessageId, byId.MessageId, 'deduplication by MessageDeduplicationId');
    assert.match(a1.SequenceNumber!, /^\d{20}$/);
    await rejectsWithSqs(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' })), 'MissingParameter', 'The request must contain the parameter MessageGroupId.');
    await rejectsWithSqs(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'a', DelaySeconds: 5 })), 'InvalidParameterValue', /DelaySeconds is invalid/);
    const first = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1, MessageSystemAttributeNames: ['All'] }))).Messages!;
    assert.deepEqual(first.map((m) => [m.Body, m.Attributes?.MessageGroupId]), [['a1', 'a']]);
    const rest = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages!;
    assert.deepEqual(rest.map((m) => m.Body), ['b1', 'b-explicit'], 'group a is blocked while a1 is in flight');
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first[0]!.ReceiptHandle }));
    assert.deepEqual((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages?.map((m) => m.Body), ['a2']);
    await rejectsWithSqs(create(`${queueName('plain')}.fifo`), 'InvalidParameterValue', /must end with .fifo suffix/);
  });

  it('moves a message to the dead-letter queue after maxReceiveCount receives', async () => {
    const dlq = await create(queueName('dlq'));
    const dlqArn = (await attributes(dlq)).QueueArn!;
    const src = await create(queueName('src'), { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }) });
    assert.deepEqual(JSON.parse((await attributes(src)).RedrivePolicy!), { deadLetterTargetArn: dlqArn, maxReceiveCount: 2 });
    await rejectsWithSqs(create(queueName('src'), { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `${dlqArn}-gone`, maxReceiveCount: 2 }) }), 'InvalidParameterValue', /Dead letter target does not exist/);
    const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl: src, MessageBody: 'poison' }));
    for (let i = 0; i < 2; i++) assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: src, VisibilityTimeout: 0 }))).Messages?.[0]?.MessageId, MessageId);
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: src }))).Messages, undefined);
    const dead = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq }))).Messages!;
    assert.deepEqual(dead.map((m) => [m.MessageId, m.Body]), [[MessageId, 'poison']]);
  });

  it('answers a long poll as soon as a message arrives, and forgets a long poll whose caller left', async () => {
    const url = await create(queueName('poll'));
    const polling = sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 }));
    await new Promise((r) => setTimeout(r, 200)); // let the poll reach the server (correctness does not depend on it)
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'wake' }));
    assert.deepEqual((await polling).Messages?.map((m) => m.Body), ['wake']);

    const left = new AbortController();
    const abandoned = sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 }), { abortSignal: left.signal });
    await new Promise((r) => setTimeout(r, 200));
    left.abort();
    await assert.rejects(abandoned);
    await new Promise((r) => setTimeout(r, 200));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'for the next caller' }));
    const got = await waitFor(async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages?.[0], { timeoutMs: 5_000, what: 'the message, not taken by the abandoned poll' });
    assert.equal(got.Body, 'for the next caller');
  });

  it('speaks the query protocol (form posts to / and to the queue URL, XML answers and errors)', async () => {
    const name = queueName('query');
    const post = async (path: string, form: Record<string, string>) => {
      const res = await fetch(`${flint.endpoint}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ Version: '2012-11-05', ...form }) });
      return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
    };
    const created = await post('/', { Action: 'CreateQueue', QueueName: name, 'Attribute.1.Name': 'VisibilityTimeout', 'Attribute.1.Value': '60' });
    assert.equal(created.status, 200);
    assert.match(created.type!, /^text\/xml/);
    const url = /<CreateQueueResult><QueueUrl>([^<]+)<\/QueueUrl><\/CreateQueueResult>/.exec(created.text)?.[1];
    assert.equal(url, `http://${new URL(flint.endpoint).host}/${ACCOUNT}/${name}`);
    const sent = await post(`/${ACCOUNT}/${name}`, { Action: 'SendMessage', MessageBody: 'a <b> & c', 'MessageAttribute.1.Name': 'k', 'MessageAttribute.1.Value.DataType': 'String', 'MessageAttribute.1.Value.StringValue': 'v' });
    assert.match(sent.text, /<SendMessageResult><MessageId>[0-9a-f-]{36}<\/MessageId><MD5OfMessageBody>[0-9a-f]{32}<\/MD5OfMessageBody><MD5OfMessageAttributes>[0-9a-f]{32}<\/MD5OfMessageAttributes><\/SendMessageResult>/);
    const received = await post('/', { Action: 'ReceiveMessage', QueueUrl: url!, 'AttributeName.1': 'All', 'MessageAttributeName.1': 'All' });
    assert.match(received.text, /<Message><MessageId>[^<]+<\/MessageId><ReceiptHandle>[^<]+<\/ReceiptHandle><MD5OfBody>[0-9a-f]{32}<\/MD5OfBody><Body>a &lt;b&gt; &amp; c<\/Body>/);
    assert.match(received.text, /<Attribute><Name>ApproximateReceiveCount<\/Name><Value>1<\/Value><\/Attribute>/);
    assert.match(received.text, /<MessageAttribute><Name>k<\/Name><Value><DataType>String<\/DataType><StringValue>v<\/StringValue><\/Value><\/MessageAttribute>/);
    const receipt = /<ReceiptHandle>([^<]+)<\/ReceiptHandle>/.exec(received.text)![1]!;
    const removed = await post(`/${ACCOUNT}/${name}`, { Action: 'DeleteMessage', ReceiptHandle: receipt });
    assert.match(removed.text, /^<\?xml version="1.0"\?><DeleteMessageResponse [^>]*><ResponseMetadata><RequestId>/);
    const empty = await post('/', { Action: 'ReceiveMessage', QueueUrl: url! });
    assert.match(empty.text, /<ReceiveMessageResponse [^>]*><ReceiveMessageResult(\/>|><\/ReceiveMessageResult>)<ResponseMetadata>/, 'no message left after DeleteMessage');
    const attrs = await post('/', { Action: 'GetQueueAttributes', QueueUrl: url!, 'AttributeName.1': 'VisibilityTimeout' });
    assert.match(attrs.text, /<GetQueueAttributesResult><Attribute><Name>VisibilityTimeout<\/Name><Value>60<\/Value><\/Attribute><\/GetQueueAttributesResult>/);
    const missing = await post('/', { Action: 'GetQueueUrl', QueueName: `${name}-none` });
    assert.equal(missing.status, 400);
    assert.match(missing.text, /^<\?xml version="1.0"\?><ErrorResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/"><Error><Type>Sender<\/Type><Code>AWS.SimpleQueueService.NonExistentQueue<\/Code><Message>The specified queue does not exist.<\/Message>/);
    const unknown = await post('/', { Action: 'Explode' });
    assert.match(unknown.text, /<Code>InvalidAction<\/Code><Message>The action Explode is not valid for this endpoint.<\/Message>/);
    const deleted = await post('/', { Action: 'DeleteQueue', QueueUrl: url! });
    assert.match(deleted.text, /^<\?xml version="1.0"\?><DeleteQueueResponse [^>]*><ResponseMetadata><RequestId>/);
  });

  it('keeps a plain POST / the Lambda API unknown operation', async () => {
    const res = await fetch(`${flint.endpoint}/`, { method: 'POST', body: '{}' });
    assert.equal(res.status, 404); // the catalog's UnknownOperationException, 404 as Lambda's common errors list it (test/e2e/server.test.ts)
    assert.equal(res.headers.get('x-amzn-errortype'), 'UnknownOperationException');
  });

  if (backend === 'PostgreSQL') {
    it('shares queues between front ends on one database: a message sent through one is received through the other, once', async () => {
      const other = await startFlintProcess({ args: ['--database', database!] });
      const otherSqs = sqsClient(other.endpoint);
      try {
        const name = queueName('shared');
        await create(name, { VisibilityTimeout: '60' });
        const url = (await otherSqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
        assert.equal(url, `${other.endpoint}/${ACCOUNT}/${name}`, 'the URL on the front end asked');
        const polling = otherSqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 10 }));
        const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl: `${flint.endpoint}/${ACCOUNT}/${name}`, MessageBody: 'across' }));
        const got = (await polling).Messages!;
        assert.deepEqual(got.map((m) => [m.MessageId, m.Body]), [[MessageId, 'across']], "the other front end's long poll sees it");
        assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: `${flint.endpoint}/${ACCOUNT}/${name}` }))).Messages, undefined, 'in flight: not handed out again');
        await sqs.send(new DeleteMessageCommand({ QueueUrl: `${flint.endpoint}/${ACCOUNT}/${name}`, ReceiptHandle: got[0]!.ReceiptHandle }));
        assert.equal((await attributes(`${flint.endpoint}/${ACCOUNT}/${name}`)).ApproximateNumberOfMessagesNotVisible, '0', 'a receipt from one front end deletes through the other');
      } finally {
        otherSqs.destroy();
        await other.stop();
        removeDataDir(other.dataDir);
      }
    });
  }
});

describe('SQS durability', () => {
  it('loses no acknowledged message when Flint is killed -9, and keeps in-flight ones hidden no longer than their timeout', async () => {
    let flint = await startFlintProcess();
    const dataDir = flint.dataDir;
    try {
      let sqs = sqsClient(flint.endpoint);
      const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'durable', Attributes: { VisibilityTimeout: '1' } }))).QueueUrl!;
      const ids = new Set<string>();
      for (let i = 0; i < 20; i++) ids.add((await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `message ${i}` }))).MessageId!);
      for (let i = 0; i < 6; i++) {
        const batch = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: Array.from({ length: 5 }, (_, j) => ({ Id: `m${j}`, MessageBody: `batched ${i}-${j}` })) }));
        assert.equal(batch.Successful?.length, 5);
        for (const s of batch.Successful!) ids.add(s.MessageId!);
      }
      assert.equal(ids.size, 50, 'every send acknowledged');
      assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 3 }))).Messages?.length, 3, 'three in flight when Flint dies');
      sqs.destroy();
      await flint.kill();
      flint = await startFlintProcess({ dataDir });
      sqs = sqsClient(flint.endpoint);
      const seen = new Set<string>();
      await waitFor(async () => {
        for (const m of (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages ?? []) {
          seen.add(m.MessageId!);
          await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
        }
        return seen.size === ids.size;
      }, { timeoutMs: 15_000, everyMs: 50, what: () => `all ${ids.size} messages after the restart (${seen.size} seen)` });
      assert.deepEqual([...seen].sort(), [...ids].sort());
      sqs.destroy();
    } finally {
      await flint.stop();
      removeDataDir(dataDir);
    }
  });
});
