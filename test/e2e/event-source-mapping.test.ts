/**
 * SQS event source mappings end to end against Flint's own queue service, through
 * @aws-sdk/client-sqs and @aws-sdk/client-lambda on Flint's endpoint: partial batch failure,
 * filtering, redrive to a dead-letter queue after maxReceiveCount, disabling and re-enabling,
 * a throttled function (its messages come back and run once the throttle lifts), pollers running
 * more than one batch at once for a backlog (seen in the function's own log lines), and a `kill -9`
 * of Flint with 1,000 messages in a mapped queue (every message processed at least once, none lost).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateEventSourceMappingCommand, DeleteFunctionConcurrencyCommand, GetEventSourceMappingCommand, PutFunctionConcurrencyCommand, UpdateEventSourceMappingCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { removeDataDir, startFlintProcess, type FlintProcess } from '../helpers/flint-process.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { logMessages } from './async-support.ts';
import { deploy } from './invoke-support.ts';
import { uniqueName } from './lambda-support.ts';
import { sqsClient } from './sqs-support.ts';

interface Queue {
  readonly url: string;
  readonly arn: string;
}

async function createQueue(sqs: SQSClient, name: string, attributes: Record<string, string> = {}): Promise<Queue> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

async function depth(sqs: SQSClient, q: Queue): Promise<number> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: q.url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] }));
  return Number(Attributes!.ApproximateNumberOfMessages) + Number(Attributes!.ApproximateNumberOfMessagesNotVisible) + Number(Attributes!.ApproximateNumberOfMessagesDelayed ?? 0);
}

/** What a function logged after `tag ` on each line that has it, every stream. */
async function logged(dataDir: string, fn: string, tag: string): Promise<string[]> {
  return (await logMessages(dataDir, fn)).flatMap((l) => {
    const at = l.indexOf(`${tag} `);
    return at < 0 ? [] : [l.slice(at + tag.length + 1).trim()];
  });
}

/** Bodies a function logged with `SEEN <body>`, every stream. */
const seen = (dataDir: string, fn: string): Promise<string[]> => logged(dataDir, fn, 'SEEN');

/** Sends `count` messages `<prefix>-<i>` in batches of 10. */
async function sendMany(sqs: SQSClient, q: Queue, prefix: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 10) {
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: q.url, Entries: Array.from({ length: Math.min(10, count - i) }, (_, j) => ({ Id: `e${j}`, MessageBody: `${prefix}-${i + j}` })) }));
  }
}

/** The value of a counter in Flint's /metrics for these labels (0 when absent). */
async function metric(endpoint: string, name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${endpoint}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** The most intervals open at once, from `start`/`end` events (an end sorts before a start at the same instant). */
function mostAtOnce(events: readonly { readonly at: number; readonly start: boolean }[]): number {
  let open = 0;
  let most = 0;
  for (const e of [...events].sort((a, b) => a.at - b.at || Number(a.start) - Number(b.start))) {
    open += e.start ? 1 : -1;
    most = Math.max(most, open);
  }
  return most;
}

/** Log and depth polls: a few a second, so the test does not compete with the server it watches. */
const POLL = { everyMs: 250 } as const;

let flint: FlintProcess;
let lambda: LambdaClient;
let sqs: SQSClient;

before(async () => {
  flint = await startFlintProcess();
  lambda = flint.client();
  sqs = sqsClient(flint.endpoint);
});
after(async () => {
  sqs?.destroy();
  await flint?.stop();
  if (flint) removeDataDir(flint.dataDir);
});

const stateOf = async (uuid: string) => (await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).State;

describe('SQS event source mappings over Flint\'s queues', () => {
  it('partial batch failure, filtering, redrive to the DLQ after maxReceiveCount, disable and re-enable', async () => {
    const fn = uniqueName('esm');
    await deploy(lambda, [{
      name: 'index.js',
      content: `exports.handler = async (event) => {
        for (const r of event.Records) console.log('SEEN ' + r.body);
        const failed = event.Records.filter((r) => r.body.includes('poison') || (r.body.includes('flaky') && r.attributes.ApproximateReceiveCount === '1'));
        return { batchItemFailures: failed.map((r) => ({ itemIdentifier: r.messageId })) };
      };`,
    }], { FunctionName: fn, Timeout: 2 }); // no longer than the queue's visibility timeout, as Lambda asks
    const dlq = await createQueue(sqs, uniqueName('dlq'));
    const q = await createQueue(sqs, uniqueName('work'), { VisibilityTimeout: '2', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }) });
    const m = await lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: fn,
      EventSourceArn: q.arn,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: { Filters: [{ Pattern: '{"body":{"keep":[true]}}' }] },
    }));
    for (const body of ['{"keep":true,"n":"ok"}', '{"keep":true,"n":"flaky"}', '{"keep":true,"n":"poison"}', '{"keep":false,"n":"dropped"}']) {
      await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: body }));
    }
    await waitFor(async () => (await depth(sqs, q)) === 0 && (await depth(sqs, dlq)) === 1, { ...POLL, timeoutMs: 60_000, what: 'work drained, poison in the DLQ' });
    const bodies = await seen(flint.dataDir, fn);
    assert.equal(bodies.filter((b) => b.includes('"ok"')).length, 1, 'the good message once');
    assert.equal(bodies.filter((b) => b.includes('flaky')).length, 2, 'the flaky one again, alone');
    assert.equal(bodies.filter((b) => b.includes('poison')).length, 2, 'the poison maxReceiveCount times');
    assert.equal(bodies.filter((b) => b.includes('dropped')).length, 0, 'filtered out');

    await lambda.send(new UpdateEventSourceMappingCommand({ UUID: m.UUID, Enabled: false }));
    await waitFor(async () => (await stateOf(m.UUID!)) === 'Disabled');
    await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: '{"keep":true,"n":"later"}' }));
    assert.equal(await depth(sqs, q), 1);
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID: m.UUID, Enabled: true }));
    await waitFor(async () => (await depth(sqs, q)) === 0, { ...POLL, timeoutMs: 30_000, what: 'resumed' });
    assert.ok((await seen(flint.dataDir, fn)).some((b) => b.includes('later')));
  });

  it('a throttled function loses no message: throttled batches become visible again and run once the throttle lifts', async () => {
    const fn = uniqueName('esm-throttle');
    await deploy(lambda, [{ name: 'index.js', content: "exports.handler = async (event) => { for (const r of event.Records) console.log('SEEN ' + r.body + ' ' + r.attributes.ApproximateReceiveCount); };" }], { FunctionName: fn });
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: fn, ReservedConcurrentExecutions: 0 }));
    // the default visibility timeout (30 s) is longer than the test waits: a throttled message that
    // was not made visible again at once would stay away
    const q = await createQueue(sqs, uniqueName('throttle'));
    await sendMany(sqs, q, 'thr', 30);
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: q.arn, BatchSize: 10 }));
    await waitFor(async () => (await metric(flint.endpoint, 'flint_throttles_total', `function="${fn}"`)) >= 2, { ...POLL, timeoutMs: 30_000, what: 'two throttled batches' });
    assert.equal(await depth(sqs, q), 30, 'every message still in the queue while throttled');
    assert.deepEqual(await seen(flint.dataDir, fn), [], 'nothing ran while throttled');

    await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: fn }));
    await waitFor(async () => (await depth(sqs, q)) === 0, { ...POLL, timeoutMs: 60_000, what: 'drained once the throttle lifted' });
    const runs = (await seen(flint.dataDir, fn)).map((l) => l.split(' '));
    const bodies = new Set(runs.map(([body]) => body));
    assert.deepEqual(Array.from({ length: 30 }, (_, i) => `thr-${i}`).filter((b) => !bodies.has(b)), [], 'every message ran');
    assert.ok(runs.some(([, count]) => Number(count) >= 2), 'throttled messages were received again');
  });

  it('runs more than one batch at once for a backlog, never more than MaximumConcurrency', async () => {
    const fn = uniqueName('esm-scale');
    await deploy(lambda, [{
      name: 'index.js',
      content: `const instance = require('node:crypto').randomUUID();
      exports.handler = async (event) => {
        console.log('BATCH start ' + Date.now() + ' ' + instance);
        for (const r of event.Records) console.log('SEEN ' + r.body);
        await new Promise((r) => setTimeout(r, 300));
        console.log('BATCH end ' + Date.now() + ' ' + instance);
      };`,
    }], { FunctionName: fn });
    const q = await createQueue(sqs, uniqueName('scale'), { VisibilityTimeout: '30' });
    await sendMany(sqs, q, 'sc', 200);
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: q.arn, BatchSize: 10, ScalingConfig: { MaximumConcurrency: 3 } }));
    await waitFor(async () => (await depth(sqs, q)) === 0, { ...POLL, timeoutMs: 60_000, what: 'the backlog drained' });
    const batches = (await logged(flint.dataDir, fn, 'BATCH')).map((l) => l.split(' '));
    const most = mostAtOnce(batches.map(([what, at]) => ({ at: Number(at), start: what === 'start' })));
    assert.ok(most > 1, `more than one batch at once (most: ${most})`);
    assert.ok(most <= 3, `never more than MaximumConcurrency (most: ${most})`);
    assert.ok(new Set(batches.map(([, , instance]) => instance)).size > 1, 'in more than one sandbox');
    assert.equal(new Set(await seen(flint.dataDir, fn)).size, 200);
  });

  it('kill -9 with 1,000 messages in a mapped queue: every message is processed at least once, none lost', async () => {
    const fn = uniqueName('esm-kill');
    await deploy(lambda, [{ name: 'index.js', content: "exports.handler = async (event) => { for (const r of event.Records) console.log('SEEN ' + r.body); await new Promise((r) => setTimeout(r, 20)); };" }], { FunctionName: fn });
    // as long as the function's timeout (10 s), as Lambda asks: a slow batch is not delivered twice while it runs
    const q = await createQueue(sqs, uniqueName('kill'), { VisibilityTimeout: '10' });
    await sendMany(sqs, q, 'msg', 1000);
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: q.arn, BatchSize: 10 }));
    await waitFor(async () => (await seen(flint.dataDir, fn)).length >= 50, { ...POLL, timeoutMs: 60_000, what: 'processing under way' });
    const dataDir = flint.dataDir;
    // nothing is in flight from this test to the server it kills; afterwards it talks only to the new one
    await flint.kill();
    sqs.destroy();
    flint = await startFlintProcess({ dataDir });
    lambda = flint.client();
    sqs = sqsClient(flint.endpoint);
    await waitFor(async () => (await depth(sqs, q)) === 0, { ...POLL, timeoutMs: 120_000, what: 'queue drained after the restart' });
    const processed = new Set(await seen(dataDir, fn));
    const missing = Array.from({ length: 1000 }, (_, i) => `msg-${i}`).filter((b) => !processed.has(b));
    assert.deepEqual(missing, [], 'every message processed at least once');
  });
});
