import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { FunctionNotFound, Throttled, type InvocationOutcome, type InvocationRequest, type ResolvedTarget } from '../model/index.ts';
import { functionVersion } from '../model/testing/function-version.ts';
import { createLogger } from '../shared/index.ts';
import { NO_EVENT_INVOKE_SETTINGS, type EventInvokeSettings } from '../model/index.ts';
import { AsyncPoller, type AsyncPollerOptions } from './async-poller.ts';
import { openSqliteStorage } from '../storage/index.ts';
import { QueueService } from '../queues/index.ts';
import { waitFor } from '../../test/helpers/wait-for.ts';

const account = { region: 'us-east-1', accountId: '000000000000' };
const arn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
/** Renewed every 20 s of real time: in a test, only explicit `renew()` calls renew (the clock is moved by hand). */
const LEASE_MS = 60_000;
type Handler = (request: InvocationRequest) => Promise<InvocationOutcome>;
const ok = (body: unknown = { ok: true }): InvocationOutcome => ({ payload: Buffer.from(JSON.stringify(body)), durationMs: 1 });
const unhandled = (): InvocationOutcome => ({ payload: Buffer.from('{"errorType":"Error","errorMessage":"boom"}'), functionError: 'Unhandled', errorType: 'Error', durationMs: 1 });
const throttle = () => new Throttled('ReservedFunctionConcurrentInvocationLimitExceeded');

/**
 * A poller over an in-memory database, with scripted functions and a clock the test can move
 * (`frozenClock`: it stands still until `thaw()`, so nothing time-driven happens behind the test's back).
 */
function harness(options: { maxInFlight?: number; pace?: AsyncPollerOptions['pace']; cpuIdleShare?: () => number; frozenClock?: boolean } = {}) {
  const storage = openSqliteStorage(':memory:');
  const queue = storage.queue;
  const handlers = new Map<string, Handler>();
  const settings = new Map<string, EventInvokeSettings>();
  /** DeadLetterConfig.TargetArn by function name. */
  const deadLetterQueues = new Map<string, string>();
  const calls: Array<{ functionName: string; requestId: string; payload: string }> = [];
  const lines: string[] = [];
  let offsetMs = 0;
  let running = 0;
  let maxRunning = 0;
  let frozenAtMs = options.frozenClock ? Date.now() : undefined;
  const clock = { now: () => (frozenAtMs ?? Date.now()) + offsetMs };
  const resolve = (functionName: string, qualifier: string | undefined): ResolvedTarget => {
    if (!handlers.has(functionName)) throw new FunctionNotFound(arn(functionName));
    return { config: functionVersion(functionName), invokedFunctionArn: qualifier ? `${arn(functionName)}:${qualifier}` : arn(functionName) };
  };
  // Flint's real queue service on the same database (SQS destinations and dead-letter queues)
  const sqs = new QueueService({ store: storage.sqs, account, clock, logger: createLogger('silent'), endpoint: () => 'http://127.0.0.1:1' });
  const make = (over: { releaseLeasesAtStart?: boolean } = {}) =>
    new AsyncPoller({
      queues: sqs,
      deadLetterQueueOf: async (fn) => deadLetterQueues.get(fn),
      queue,
      settings: async (fn) => settings.get(fn) ?? NO_EVENT_INVOKE_SETTINGS,
      invoker: {
        invoke: async ({ functionName, qualifier, requestId, payload }) => {
          const target = resolve(functionName, qualifier);
          const request = { requestId, payload, invokedFunctionArn: target.invokedFunctionArn, tailLog: false };
          calls.push({ functionName: target.config.functionName, requestId: request.requestId, payload: request.payload.toString() });
          running++;
          maxRunning = Math.max(maxRunning, running);
          try {
            return { kind: 'completed', target, outcome: await handlers.get(target.config.functionName)!(request) };
          } finally {
            running--;
          }
        },
      },
      attemptLog: { write: (_fn, _v, line) => lines.push(line) },
      account,
      clock,
      logger: createLogger('silent'),
      cpuIdleShare: options.cpuIdleShare ?? (() => 1),
      options: { maxInFlight: options.maxInFlight ?? 8, delays: { functionErrorBaseMs: 5, backoffBaseMs: 5, backoffMaxMs: 20 }, leaseMs: LEASE_MS, scanIntervalMs: 20, pace: options.pace, releaseLeasesAtStart: over.releaseLeasesAtStart ?? true },
    });
  const poller = make();
  const enqueue = async (functionName: string, n: number) => {
    await queue.enqueue({ requestId: `${functionName}-${n}`, functionName, qualifier: undefined, payload: Buffer.from(JSON.stringify({ n })), origin: 'invoke' }, clock.now());
    poller.notify();
  };
  // A bound for failure only: a busy machine may take long.
  const drained = async (timeoutMs = 30_000) => {
    const end = Date.now() + timeoutMs;
    while ((await queue.snapshot(clock.now())).depth > 0) {
      if (Date.now() > end) throw new Error(`queue not drained: ${JSON.stringify(await queue.snapshot(clock.now()))}`);
      await sleep(5);
    }
  };
  return {
    queue, handlers, settings, calls, lines, poller, make, enqueue, drained, sqs, deadLetterQueues,
    deadLetters: storage.deadLetters,
    advance: (ms: number) => (offsetMs += ms),
    now: () => clock.now(),
    thaw: () => (frozenAtMs = undefined),
    maxRunning: () => maxRunning,
  };
}

describe('AsyncPoller', async () => {
  let stopList: AsyncPoller[] = [];
  const started = async (p: AsyncPoller) => {
    await p.start();
    stopList.push(p);
    return p;
  };
  afterEach(async () => {
    for (const p of stopList) await p.stop(100);
    stopList = [];
  });

  it('delivers an accepted event to its function once, with its request id and payload', async () => {
    const h = harness();
    h.handlers.set('f', async () => ok());
    await started(h.poller);
    await h.enqueue('f', 1);
    await h.drained();
    assert.deepEqual(h.calls, [{ functionName: 'f', requestId: 'f-1', payload: '{"n":1}' }]);
    assert.equal((await h.queue.snapshot(0)).counters.succeeded, 1);
    assert.deepEqual(h.lines, ['ASYNC RequestId: f-1\tAttempt: 1 of 3\tResult: Success\tNext: done']);
  });

  it('runs a failing handler 1 + MaximumRetryAttempts times, then dead-letters it', async () => {
    const h = harness();
    h.handlers.set('f', async () => unhandled());
    h.settings.set('f', { ...NO_EVENT_INVOKE_SETTINGS, maximumRetryAttempts: 1 });
    await started(h.poller);
    await h.enqueue('f', 1);
    await h.drained();
    assert.equal(h.calls.length, 2);
    assert.deepEqual(h.lines.map((l) => l.split('\t')[1]), ['Attempt: 1 of 2', 'Attempt: 2 of 2']);
    const [letter] = await h.deadLetters.list({ limit: 5 });
    assert.deepEqual([letter?.condition, letter?.approximateInvokeCount, letter?.lastResponse?.functionError], ['RetriesExhausted', 2, 'Unhandled']);
  });

  it('delivers the RetriesExhausted record to the OnFailure function', async () => {
    const h = harness();
    const records: unknown[] = [];
    h.handlers.set('f', async () => unhandled());
    h.handlers.set('dest', async (r) => (records.push(JSON.parse(r.payload.toString())), ok()));
    h.settings.set('f', { ...NO_EVENT_INVOKE_SETTINGS, maximumRetryAttempts: 2, onFailure: arn('dest') });
    await started(h.poller);
    await h.enqueue('f', 1);
    await h.drained();
    assert.equal(h.calls.filter((c) => c.functionName === 'f').length, 3);
    const record = records[0] as { requestContext: { condition: string; approximateInvokeCount: number; requestId: string }; responseContext: { functionError: string } };
    assert.deepEqual([record.requestContext.condition, record.requestContext.approximateInvokeCount, record.requestContext.requestId], ['RetriesExhausted', 3, 'f-1']);
    assert.equal(record.responseContext.functionError, 'Unhandled');
  });

  it('sends the Success record to an OnSuccess queue and the RetriesExhausted record to an OnFailure queue', async () => {
    const h = harness();
    await h.sqs.createQueue('ok-q', {}, {});
    await h.sqs.createQueue('fail-q', {}, {});
    const queueArn = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;
    h.handlers.set('good', async () => ok({ done: 1 }));
    h.handlers.set('bad', async () => unhandled());
    h.settings.set('good', { ...NO_EVENT_INVOKE_SETTINGS, onSuccess: queueArn('ok-q') });
    h.settings.set('bad', { ...NO_EVENT_INVOKE_SETTINGS, maximumRetryAttempts: 0, onFailure: queueArn('fail-q') });
    await started(h.poller);
    await h.enqueue('good', 1);
    await h.enqueue('bad', 2);
    await h.drained();
    const receive = async (name: string) => h.sqs.receive(queueArn(name), { maxMessages: 10, waitTimeSeconds: 0 });
    const [success] = await receive('ok-q');
    const [failure] = await receive('fail-q');
    const s = JSON.parse(success!.body) as { version: string; requestContext: Record<string, unknown>; requestPayload: unknown; responsePayload: unknown };
    assert.equal(s.version, '1.0');
    assert.deepEqual(s.requestContext, { requestId: 'good-1', functionArn: `${arn('good')}:$LATEST`, condition: 'Success', approximateInvokeCount: 1 });
    assert.deepEqual([s.requestPayload, s.responsePayload], [{ n: 1 }, { done: 1 }]);
    const f = JSON.parse(failure!.body) as { requestContext: Record<string, unknown>; responseContext: Record<string, unknown> };
    assert.deepEqual(f.requestContext, { requestId: 'bad-2', functionArn: `${arn('bad')}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 1 });
    assert.deepEqual(f.responseContext, { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    const snap = await h.queue.snapshot(0);
    assert.deepEqual([snap.counters.sentToDestination, snap.counters.deadLettered, snap.deadLetters], [2, 0, 0]);
  });

  it('sends a failed event to its dead-letter queue with RequestID, ErrorCode and ErrorMessage', async () => {
    const h = harness();
    await h.sqs.createQueue('dlq', {}, {});
    h.handlers.set('f', async () => unhandled());
    h.settings.set('f', { ...NO_EVENT_INVOKE_SETTINGS, maximumRetryAttempts: 0 });
    h.deadLetterQueues.set('f', 'arn:aws:sqs:us-east-1:000000000000:dlq');
    await started(h.poller);
    await h.enqueue('f', 7);
    await h.drained();
    const [m] = await h.sqs.receive('arn:aws:sqs:us-east-1:000000000000:dlq', { maxMessages: 10, waitTimeSeconds: 0 });
    assert.equal(m!.body, '{"n":7}');
    assert.deepEqual(m!.messageAttributes, {
      RequestID: { dataType: 'String', stringValue: 'f-7' },
      ErrorCode: { dataType: 'Number', stringValue: '200' },
      ErrorMessage: { dataType: 'String', stringValue: 'boom' },
    });
    const snap = await h.queue.snapshot(0);
    assert.deepEqual([snap.counters.sentToDeadLetterQueue, snap.deadLetters], [1, 0]);
  });

  it('keeps an event whose destination and dead-letter queues do not exist in the dead-letter store, counting both failures', async () => {
    const h = harness();
    h.handlers.set('f', async () => unhandled());
    h.settings.set('f', { ...NO_EVENT_INVOKE_SETTINGS, maximumRetryAttempts: 0, onFailure: 'arn:aws:sqs:us-east-1:000000000000:gone' });
    h.deadLetterQueues.set('f', 'arn:aws:sqs:us-east-1:000000000000:also-gone');
    h.handlers.set('g', async () => ok());
    h.settings.set('g', { ...NO_EVENT_INVOKE_SETTINGS, onSuccess: 'arn:aws:sqs:us-east-1:000000000000:gone' });
    await started(h.poller);
    await h.enqueue('f', 1);
    await h.enqueue('g', 2);
    await h.drained();
    const [letter] = await h.deadLetters.list({ limit: 5 });
    assert.deepEqual([letter?.requestId, letter?.condition], ['f-1', 'RetriesExhausted']);
    const c = (await h.queue.snapshot(0)).counters;
    assert.deepEqual([c.succeeded, c.destinationDeliveryFailures, c.deadLetterErrors, c.deadLettered, c.sentToDestination], [1, 2, 1, 1, 0]);
  });

  it('keeps a throttled event queued and delivers it once the function has capacity', async () => {
    const h = harness();
    let open = false;
    h.handlers.set('f', async () => {
      if (!open) throw throttle();
      return ok();
    });
    await started(h.poller);
    await h.enqueue('f', 1);
    await waitFor(async () => (await h.queue.snapshot(0)).counters.throttled >= 2, { what: 'retries with backoff while throttled' });
    assert.equal((await h.queue.snapshot(0)).depth, 1);
    open = true;
    await h.drained();
    assert.equal((await h.queue.snapshot(0)).counters.succeeded, 1);
    assert.equal((await h.deadLetters.list({ limit: 1 })).length, 0);
  });

  it('drops an event older than MaximumEventAgeInSeconds to OnFailure without running it', async () => {
    const h = harness();
    const records: Array<{ requestContext: { condition: string; approximateInvokeCount: number } }> = [];
    h.handlers.set('f', async () => ok());
    h.handlers.set('dest', async (r) => (records.push(JSON.parse(r.payload.toString())), ok()));
    h.settings.set('f', { ...NO_EVENT_INVOKE_SETTINGS, maximumEventAgeInSeconds: 60, onFailure: arn('dest') });
    await h.queue.enqueue({ requestId: 'old', functionName: 'f', qualifier: undefined, payload: Buffer.from('{}'), origin: 'invoke' }, Date.now());
    h.advance(61_000);
    await started(h.poller);
    await h.drained();
    assert.deepEqual(h.calls.map((c) => c.functionName), ['dest']);
    assert.deepEqual([records[0]?.requestContext.condition, records[0]?.requestContext.approximateInvokeCount], ['EventAgeExceeded', 0]);
    assert.equal((await h.queue.snapshot(0)).counters.droppedByAge, 1);
  });

  it('dead-letters an event whose function was deleted', async () => {
    const h = harness();
    await started(h.poller);
    await h.enqueue('gone', 1);
    await h.drained();
    assert.equal((await h.deadLetters.list({ limit: 1 }))[0]?.condition, 'FunctionNotFound');
  });

  it('retries platform errors until they pass', async () => {
    const h = harness();
    let failures = 2;
    h.handlers.set('f', async () => {
      if (failures-- > 0) throw new Error('sandbox failed to start');
      return ok();
    });
    await started(h.poller);
    await h.enqueue('f', 1);
    await h.drained();
    assert.equal((await h.queue.snapshot(0)).counters.platformErrors, 2);
    assert.equal((await h.queue.snapshot(0)).counters.succeeded, 1);
  });

  it('never runs more deliveries at once than there are pollers', async () => {
    const h = harness({ maxInFlight: 3, pace: { startLimit: 100 } });
    h.handlers.set('f', async () => (await sleep(5), ok()));
    await started(h.poller);
    for (let i = 0; i < 20; i++) await h.enqueue('f', i);
    await h.drained();
    assert.equal(h.calls.length, 20);
    assert.equal(h.maxRunning(), 3);
  });

  it('starts a backlog at a few deliveries at once and doubles them while a slow function stays saturated', async () => {
    const h = harness({ maxInFlight: 16, pace: { startLimit: 2, growIntervalMs: 40 }, frozenClock: true });
    h.handlers.set('slow', async () => (await sleep(60), { ...ok(), durationMs: 60 }));
    for (let i = 0; i < 40; i++) await h.enqueue('slow', i);
    await started(h.poller);
    // No grow interval passes on the frozen clock, however long the machine takes.
    await waitFor(() => h.calls.length >= 4, { what: 'two rounds of deliveries' });
    assert.equal(h.maxRunning(), 2, 'starts at two');
    h.thaw();
    await h.drained();
    assert.equal(h.maxRunning(), 16, 'reaches every poller');
  });

  it('adds no deliveries while the machine\'s CPUs are busy, however deep the backlog', async () => {
    const h = harness({ maxInFlight: 16, pace: { startLimit: 2, growIntervalMs: 10 }, cpuIdleShare: () => 0.1 });
    h.handlers.set('slow', async () => (await sleep(30), { ...ok(), durationMs: 30 }));
    for (let i = 0; i < 20; i++) await h.enqueue('slow', i);
    await started(h.poller);
    await h.drained();
    assert.equal(h.maxRunning(), 2);
  });

  it('stops adding deliveries once they slow down with contention, however deep the backlog', async () => {
    // 64 pollers: the pacer must stop far below them. It doubles 2 -> 4 -> 8 and sees contention
    // at 8 (24 ms against 6 ms alone); on a loaded machine the moving average may lag one more
    // doubling, never two.
    const h = harness({ maxInFlight: 64, pace: { startLimit: 2, growIntervalMs: 20 } });
    let running = 0;
    // a handler that shares one CPU: each takes 3 ms per delivery running at once
    h.handlers.set('cpu', async () => {
      const ms = 3 * ++running;
      await sleep(ms);
      running--;
      return { ...ok(), durationMs: ms };
    });
    for (let i = 0; i < 150; i++) await h.enqueue('cpu', i);
    await started(h.poller);
    await h.drained();
    assert.equal(h.calls.length, 150);
    assert.ok(h.maxRunning() <= 16, `growth did not stop at contention: saw ${h.maxRunning()} at once of 64 pollers`);
  });

  it('delivers one function\'s events in arrival order', async () => {
    const h = harness({ maxInFlight: 1 });
    h.handlers.set('f', async () => ok());
    for (let i = 0; i < 10; i++) await h.enqueue('f', i);
    await started(h.poller);
    await h.drained();
    assert.deepEqual(h.calls.map((c) => c.requestId), Array.from({ length: 10 }, (_, i) => `f-${i}`));
  });

  it('does not starve a function behind another one\'s deep backlog', async () => {
    const h = harness({ maxInFlight: 2 });
    h.handlers.set('deep', async () => (await sleep(2), ok()));
    h.handlers.set('shallow', async () => ok());
    for (let i = 0; i < 100; i++) await h.enqueue('deep', i);
    await h.enqueue('shallow', 0);
    await started(h.poller);
    await h.drained();
    const at = h.calls.findIndex((c) => c.functionName === 'shallow');
    assert.ok(at >= 0 && at < 4, `shallow ran as call ${at} of ${h.calls.length}`);
  });

  it('leaves unsettled deliveries to the next start, which delivers them again (at least once)', async () => {
    const h = harness();
    let release!: () => void;
    h.handlers.set('f', () => new Promise((r) => (release = () => r(ok()))));
    await h.poller.start();
    await h.enqueue('f', 1);
    while (h.calls.length === 0) await sleep(2);
    await h.poller.stop(10); // the process stops with the delivery in flight
    release();
    await sleep(10);
    assert.equal((await h.queue.snapshot(0)).depth, 1, 'still queued: nothing settled after the stop');
    h.handlers.set('f', async () => ok());
    await started(h.make());
    await h.drained();
    assert.deepEqual(h.calls.map((c) => c.requestId), ['f-1', 'f-1']);
  });
  it('renews the lease of a delivery that runs longer than the lease, so no poller takes its event again', async () => {
    const h = harness({ frozenClock: true });
    let release!: () => void;
    h.handlers.set('f', () => new Promise((r) => (release = () => r(ok()))));
    await started(h.poller);
    await h.enqueue('f', 1);
    await waitFor(() => h.calls.length === 1);
    h.advance(LEASE_MS - 10_000);
    assert.deepEqual(await h.poller.renew(), { renewed: 1, lost: [] });
    assert.equal(await h.queue.nextReadyMs(h.now()), h.now() + LEASE_MS, 'leased for another LEASE_MS from the renewal');
    h.advance(LEASE_MS - 10_000); // past the first lease, within the renewed one
    await h.poller.pump();
    assert.deepEqual(await h.queue.readyByFunction(h.now(), 10), new Map(), 'still leased');
    assert.equal(h.calls.length, 1);
    release();
    await h.drained();
    assert.equal(h.calls.length, 1);
    assert.equal((await h.queue.snapshot(h.now())).counters.succeeded, 1);
  });

  it('a delivery whose lease was lost and taken again is not recorded: the event is recorded once, by the new holder', async () => {
    const h = harness({ frozenClock: true });
    let release!: () => void;
    h.handlers.set('f', () => new Promise((r) => (release = () => r(ok({ first: true })))));
    await started(h.poller);
    await h.enqueue('f', 1);
    await waitFor(() => h.calls.length === 1);
    // this front end could not renew (partitioned from the database): the lease expires and the event is delivered again
    h.handlers.set('f', async () => ok({ second: true }));
    h.advance(LEASE_MS + 1);
    await started(h.make({ releaseLeasesAtStart: false }));
    await h.drained();
    assert.equal(h.calls.length, 2);
    assert.deepEqual(await h.poller.renew(), { renewed: 0, lost: ['f-1'] }, 'the first delivery\'s lease is found lost');
    release();
    await waitFor(async () => h.poller.inFlight().size === 0);
    const snap = await h.queue.snapshot(h.now());
    assert.deepEqual([snap.depth, snap.counters.succeeded], [0, 1], 'recorded once');
    assert.equal(h.lines.length, 1, 'one attempt line');
  });

  it('leaves the leases of other pollers alone at start unless told to release them', async () => {
    const h = harness();
    let release!: () => void;
    h.handlers.set('f', () => new Promise((r) => (release = () => r(ok()))));
    await started(h.poller);
    await h.enqueue('f', 1);
    await waitFor(() => h.calls.length === 1);
    await started(h.make({ releaseLeasesAtStart: false })); // another front end on a shared store
    assert.equal((await h.queue.snapshot(h.now())).inFlight, 1, 'still leased by the first poller');
    h.handlers.set('f', async () => ok());
    await started(h.make({ releaseLeasesAtStart: true })); // the embedded all-in-one restarting: delivered again
    await h.drained();
    assert.equal(h.calls.length, 2);
    release();
  });
});
