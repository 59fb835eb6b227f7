/** The SQS poller against the in-memory SQS stand-in (visibility, receive counts, redrive), with handlers as invokers. */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { waitFor } from '../../test/helpers/wait-for.ts';
import { Throttled, type EventSourceMappingRecord, type InvokeRequest, type InvokeResult } from '../model/index.ts';
import { functionVersion } from '../model/testing/function-version.ts';
import { createLogger } from '../shared/index.ts';
import { SqsPoller, type PollerOptions } from './sqs-poller.ts';
import { MemoryQueues } from './testing/memory-queues.ts';

const OPTIONS: PollerOptions = { waitTimeSeconds: 0.05, ceiling: 50, throttleBaseMs: 10, throttleMaxMs: 50, errorBackoffMs: 20, scaleUpEveryMs: 0, minIdleShare: 0, freeConcurrency: 1 };
const logger = createLogger('silent');

interface SqsEventRecord {
  readonly messageId: string;
  readonly body: string;
  readonly eventSource: string;
  readonly eventSourceARN: string;
  readonly attributes: Record<string, string>;
}

type Handler = (records: SqsEventRecord[]) => Promise<{ payload?: unknown; error?: boolean }> | { payload?: unknown; error?: boolean };

function invokerOf(handler: Handler, seen: SqsEventRecord[][] = []) {
  return {
    seen,
    async invoke(request: InvokeRequest): Promise<InvokeResult> {
      const records = (JSON.parse(request.payload.toString()) as { Records: SqsEventRecord[] }).Records;
      seen.push(records);
      const answer = await handler(records);
      const payload = Buffer.from(answer.payload === undefined ? 'null' : JSON.stringify(answer.payload));
      return { kind: 'completed', target: { config: functionVersion('f'), invokedFunctionArn: request.functionName }, outcome: { payload, durationMs: 1, ...(answer.error ? { functionError: 'Unhandled' as const, errorType: 'Error' } : {}) } };
    },
  };
}

function mapping(queueArn: string, over: Partial<EventSourceMappingRecord> = {}): EventSourceMappingRecord {
  return {
    uuid: 'u1',
    eventSourceArn: queueArn,
    functionName: 'f',
    functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
    state: 'Enabled',
    stateTransitionReason: 'USER_INITIATED',
    lastModifiedMs: 1,
    batchSize: 10,
    maximumBatchingWindowInSeconds: 0,
    filters: undefined,
    functionResponseTypes: [],
    maximumConcurrency: undefined,
    ...over,
  };
}

const running: SqsPoller[] = [];
function startPoller(m: EventSourceMappingRecord, queues: MemoryQueues, invoker: ReturnType<typeof invokerOf>, extra: Partial<ConstructorParameters<typeof SqsPoller>[1]> = {}): SqsPoller {
  const poller = new SqsPoller(m, { queues, invoker, logger, options: OPTIONS, ...extra });
  running.push(poller);
  poller.start();
  return poller;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

async function sendAll(queues: MemoryQueues, arn: string, bodies: readonly string[]): Promise<void> {
  for (const body of bodies) await queues.send(arn, { body });
}

describe('SQS poller', () => {
  it('delivers every message in batches of at most BatchSize as aws:sqs records, and deletes them after success', async () => {
    const queues = new MemoryQueues();
    const q = queues.create('orders');
    await sendAll(queues, q, Array.from({ length: 25 }, (_, i) => `m${i}`));
    const invoker = invokerOf(() => ({}));
    startPoller(mapping(q, { batchSize: 4 }), queues, invoker);
    await waitFor(() => queues.depth(q) === 0, { what: () => `queue drained (${queues.depth(q)} left)` });
    const delivered = invoker.seen.flat();
    assert.deepEqual(delivered.map((r) => r.body).sort(), Array.from({ length: 25 }, (_, i) => `m${i}`).sort());
    assert.ok(invoker.seen.every((batch) => batch.length <= 4));
    assert.ok(delivered.every((r) => r.eventSource === 'aws:sqs' && r.eventSourceARN === q && r.attributes.ApproximateReceiveCount === '1'));
  });

  it('gathers batches over 10 messages within the batching window', async () => {
    const queues = new MemoryQueues();
    const q = queues.create('bulk');
    await sendAll(queues, q, Array.from({ length: 30 }, (_, i) => `m${i}`));
    const invoker = invokerOf(() => ({}));
    startPoller(mapping(q, { batchSize: 30, maximumBatchingWindowInSeconds: 1 }), queues, invoker);
    await waitFor(() => queues.depth(q) === 0);
    assert.ok(invoker.seen.some((b) => b.length > 10), `batch sizes ${invoker.seen.map((b) => b.length).join(',')}`);
  });

  it('with ReportBatchItemFailures deletes all but the failed items; those come back after their visibility timeout', async () => {
    const queues = new MemoryQueues();
    const q = queues.create('partial', { visibilityTimeoutSeconds: 0.2 });
    await sendAll(queues, q, ['ok1', 'bad', 'ok2']);
    const invoker = invokerOf((records) => ({ payload: { batchItemFailures: records.filter((r) => r.body === 'bad' && r.attributes.ApproximateReceiveCount === '1').map((r) => ({ itemIdentifier: r.messageId })) } }));
    const poller = startPoller(mapping(q, { functionResponseTypes: ['ReportBatchItemFailures'] }), queues, invoker);
    await waitFor(() => queues.depth(q) === 0);
    const bad = invoker.seen.flat().filter((r) => r.body === 'bad');
    assert.deepEqual(bad.map((r) => r.attributes.ApproximateReceiveCount), ['1', '2'], 'the failed item alone was delivered again');
    assert.equal(invoker.seen.flat().filter((r) => r.body.startsWith('ok')).length, 2, 'the others once');
    assert.equal(poller.stats.deleted, 3);
  });

  it('fails the whole batch on an invalid batch response', async () => {
    const queues = new MemoryQueues();
    const q = queues.create('invalid', { visibilityTimeoutSeconds: 0.1 });
    await sendAll(queues, q, ['a', 'b']);
    let calls = 0;
    const invoker = invokerOf(() => (++calls === 1 ? { payload: { batchItemFailures: [{ itemIdentifier: 'not-in-batch' }] } } : {}));
    startPoller(mapping(q, { functionResponseTypes: ['ReportBatchItemFailures'] }), queues, invoker);
    await waitFor(() => queues.depth(q) === 0);
    assert.equal(invoker.seen.flat().filter((r) => r.body === 'a').length, 2, 'delivered again after the invalid answer');
  });

  it('leaves a failing batch to the visibility timeout, and the redrive policy moves it to the dead-letter queue', async () => {
    const queues = new MemoryQueues();
    const dlq = queues.create('dlq');
    const q = queues.create('work', { visibilityTimeoutSeconds: 0.1, redrive: { deadLetterArn: dlq, maxReceiveCount: 3 } });
    await sendAll(queues, q, ['poison', 'fine']);
    const invoker = invokerOf((records) => ({ error: records.some((r) => r.body === 'poison') }));
    startPoller(mapping(q, { batchSize: 1 }), queues, invoker);
    await waitFor(() => queues.depth(q) === 0 && queues.depth(dlq) === 1, { what: () => `queue ${queues.depth(q)}, dlq ${queues.depth(dlq)}` });
    assert.deepEqual(queues.bodies(dlq), ['poison']);
    assert.equal(invoker.seen.flat().filter((r) => r.body === 'poison').length, 3, 'received maxReceiveCount times');
  });

  it('deletes the messages its filters leave out without invoking for them', async () => {
    const queues = new MemoryQueues();
    const q = queues.create('filtered');
    await sendAll(queues, q, ['{"kind":"order","n":1}', '{"kind":"refund"}', 'plain text', '{"kind":"order","n":7}']);
    const invoker = invokerOf(() => ({}));
    const poller = startPoller(mapping(q, { filters: [{ Pattern: '{"body":{"kind":["order"],"n":[{"numeric":[">",5]}]}}' }, { Pattern: '{"body":[{"prefix":"plain"}]}' }] }), queues, invoker);
    await waitFor(() => queues.depth(q) === 0);
    assert.deepEqual(invoker.seen.flat().map((r) => r.body).sort(), ['plain text', '{"kind":"order","n":7}']);
    assert.equal(poller.stats.filtered, 2);
  });

  it('makes throttled messages visible again and backs off; none is lost', async () => {
    const queues = new MemoryQueues();
    const q = queues.create('throttled', { visibilityTimeoutSeconds: 30 });
    await sendAll(queues, q, Array.from({ length: 20 }, (_, i) => `m${i}`));
    let throttles = 0;
    const processed = new Set<string>();
    const invoker = {
      seen: [] as SqsEventRecord[][],
      async invoke(request: InvokeRequest): Promise<InvokeResult> {
        if (throttles < 5) {
          throttles += 1;
          throw new Throttled('ReservedFunctionConcurrentInvocationLimitExceeded');
        }
        for (const r of (JSON.parse(request.payload.toString()) as { Records: SqsEventRecord[] }).Records) processed.add(r.body);
        return { kind: 'completed', target: { config: functionVersion('f'), invokedFunctionArn: request.functionName }, outcome: { payload: Buffer.from('null'), durationMs: 1 } };
      },
    };
    const poller = startPoller(mapping(q, { batchSize: 5 }), queues, invoker);
    // a 30 s visibility timeout: only making the throttled messages visible again lets this finish
    await waitFor(() => queues.depth(q) === 0, { what: () => `drained (${queues.depth(q)} left, ${processed.size} processed)` });
    assert.equal(processed.size, 20);
    assert.ok(poller.stats.throttled >= 5);
  });

  it('runs more batches at once with a backlog, never more than MaximumConcurrency', async () => {
    const queues = new MemoryQueues();
    const q = queues.create('backlog');
    await sendAll(queues, q, Array.from({ length: 300 }, (_, i) => `m${i}`));
    let inFlight = 0;
    let most = 0;
    const invoker = invokerOf(async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 20));
      inFlight -= 1;
      return {};
    });
    startPoller(mapping(q, { batchSize: 2, maximumConcurrency: 4 }), queues, invoker);
    await waitFor(() => queues.depth(q) === 0, { timeoutMs: 30_000 });
    assert.ok(most > 1, `scaled out (most in flight: ${most})`);
    assert.ok(most <= 4, `within MaximumConcurrency (most in flight: ${most})`);
  });

  it('caps batches in flight at the function\'s reserved concurrency', async () => {
    const queues = new MemoryQueues();
    const q = queues.create('reserved');
    await sendAll(queues, q, Array.from({ length: 100 }, (_, i) => `m${i}`));
    let inFlight = 0;
    let most = 0;
    const invoker = invokerOf(async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 10));
      inFlight -= 1;
      return {};
    });
    startPoller(mapping(q, { batchSize: 1 }), queues, invoker, { reservedConcurrency: async () => 2 });
    await waitFor(() => queues.depth(q) === 0, { timeoutMs: 30_000 });
    assert.ok(most <= 2, `most in flight: ${most}`);
  });

  it('adds no batch beyond the free ones while the CPUs are busy', async () => {
    const queues = new MemoryQueues();
    const q = queues.create('busy');
    await sendAll(queues, q, Array.from({ length: 100 }, (_, i) => `m${i}`));
    const invoker = invokerOf(async () => {
      await new Promise((r) => setTimeout(r, 5));
      return {};
    });
    const poller = startPoller(mapping(q, { batchSize: 2 }), queues, invoker, { cpuIdleShare: () => 0.05, options: { ...OPTIONS, minIdleShare: 0.2, freeConcurrency: 2 } });
    await waitFor(() => queues.depth(q) === 0, { timeoutMs: 30_000 });
    assert.equal(poller.stats.maxWorkers, 2);
  });

  it('an invoke that cannot run deletes nothing and runs fewer batches; the messages come back', async () => {
    const queues = new MemoryQueues();
    const q = queues.create('fault', { visibilityTimeoutSeconds: 0.05 });
    await sendAll(queues, q, ['a', 'b']);
    let calls = 0;
    const invoker = {
      async invoke(request: InvokeRequest): Promise<InvokeResult> {
        calls += 1;
        if (calls <= 2) throw new Error('sandbox did not start');
        return invokerOf(() => ({})).invoke(request);
      },
    };
    const poller = startPoller(mapping(q), queues, invoker as ReturnType<typeof invokerOf>);
    await waitFor(() => queues.depth(q) === 0, { timeoutMs: 10_000 });
    assert.ok(poller.stats.unavailable >= 2);
    assert.equal(poller.stats.deleted, 2);
  });

  it('stops polling when stopped; messages sent afterwards stay in the queue', async () => {
    const queues = new MemoryQueues();
    const q = queues.create('stop');
    const invoker = invokerOf(() => ({}));
    const poller = startPoller(mapping(q), queues, invoker);
    await queues.send(q, { body: 'before' });
    await waitFor(() => queues.depth(q) === 0);
    await poller.stop();
    await queues.send(q, { body: 'after' });
    const receivesAtStop = queues.receives.length;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(queues.receives.length, receivesAtStop, 'no receive after stop');
    assert.deepEqual(queues.bodies(q), ['after']);
  });
});
