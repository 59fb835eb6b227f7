/**
 * No accepted async event is lost: not when Flint is killed with SIGKILL while
 * events wait and run (every event that got its 202 runs at least once after a
 * restart on the same data directory), and not when a sandbox dies mid-invoke.
 * Events are counted through the durable dead-letter store: the function under
 * test sends each success to a destination that always fails with no retries,
 * so every accepted event leaves exactly one dead letter carrying its record.
 * Each invocation also logs its request id, and `flint logs` must show every one:
 * an invocation's lines are on disk before its event is acknowledged.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { InvokeCommand, PutFunctionEventInvokeConfigCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { lambdaClient, removeDataDir, startFlintProcess, type FlintProcess } from '../helpers/flint-process.ts';
import { arnOf } from './lambda-support.ts';
import { asyncStats, deployHandler, deployRecorder, eventually, FAST_ASYNC_FLAGS, openQueueDatabase, recordedRequestIds, recordFor } from './async-support.ts';

const EVENTS = 1000;
/** The server is killed once this many events have been accepted (while sends are still in flight). */
const KILL_AFTER_ACCEPTED = 500;
const FLINT_BIN = join(resolve(import.meta.dirname, '..', '..'), 'bin', 'flint.mjs');

/** What `flint logs NAME` prints, asked of the Flint at `endpoint`. */
async function flintLogs(endpoint: string, functionName: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [FLINT_BIN, 'logs', functionName, '--endpoint', endpoint], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

describe('async durability', () => {
  const running: FlintProcess[] = [];
  after(async () => {
    for (const p of running) await p.stop();
    for (const dir of new Set(running.map((p) => p.dataDir))) removeDataDir(dir);
  });

  it("runs every accepted event at least once across a SIGKILL and a restart, and `flint logs` shows each one's log line", async (t) => {
    const first = await startFlintProcess({ args: [...FAST_ASYNC_FLAGS, '--async-pollers', '2'] });
    running.push(first);
    const lambda = first.client();
    const fn = await deployHandler(lambda, 'exports.handler = async (e, context) => { await new Promise((r) => setTimeout(r, 40)); console.log(`ran event ${context.awsRequestId}`); return { n: e.n }; };');
    const sink = await deployHandler(lambda, "exports.handler = async () => { throw new Error('keep me in the dead-letter store'); };");
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: sink, MaximumRetryAttempts: 0 }));
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: fn, DestinationConfig: { OnSuccess: { Destination: arnOf(sink) } } }));

    // Send a quarter of the events and let some finish; then send the rest 8 at a time and kill the
    // server once half are accepted, while sends are still in flight.
    const accepted = new Set<string>();
    let next = 0;
    let killAt = Number.POSITIVE_INFINITY;
    let killed: Promise<void> | undefined;
    const sender = async (client: LambdaClient, until: number) => {
      while (next < until) {
        const n = next++;
        try {
          const out = await client.send(new InvokeCommand({ FunctionName: fn, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ n })) }));
          if (out.StatusCode === 202) accepted.add(out.$metadata.requestId!);
        } catch {
          // refused or cut by the kill: not accepted
        }
        if (accepted.size >= killAt) killed ??= first.kill();
      }
    };
    await sender(lambda, EVENTS / 4);
    await eventually(async () => ((await asyncStats(first.endpoint)).counters.succeeded! >= 10 ? true : undefined), 'the first deliveries');
    killAt = KILL_AFTER_ACCEPTED;
    await Promise.all(Array.from({ length: 8 }, () => sender(lambdaClient(first.endpoint), EVENTS)));
    await killed;
    assert.ok(accepted.size >= killAt, `${accepted.size} accepted before the kill`);

    const db = openQueueDatabase(first.dataDir);
    const left = db.prepare("SELECT COUNT(*) AS n, COALESCE(SUM(state = 'Leased'), 0) AS leased FROM async_events").get() as { n: number; leased: number };
    db.close();
    assert.ok(left.n > 0, 'the kill came while events were still queued or running');
    t.diagnostic(`${accepted.size} of ${EVENTS} accepted before the kill; ${left.n} still in the queue, ${left.leased} of them being delivered`);
    assert.ok(left.n < accepted.size, 'the kill came after some events had run');

    const second = await startFlintProcess({ dataDir: first.dataDir, args: [...FAST_ASYNC_FLAGS, '--async-pollers', '16'] });
    running.push(second);
    await eventually(async () => ((await asyncStats(second.endpoint)).queueDepth === 0 ? true : undefined), 'the queue to drain', 60_000);
    const ran = new Set(await recordedRequestIds(second.endpoint, sink));
    const lost = [...accepted].filter((id) => !ran.has(id));
    assert.deepEqual(lost, [], `${lost.length} of ${accepted.size} accepted events never ran`);
    t.diagnostic(`after the restart: ${ran.size} events ran (${ran.size - accepted.size} more than the client saw accepted: 202s cut by the kill)`);

    const logged = new Set([...(await flintLogs(second.endpoint, fn)).matchAll(/ran event (\S+)/g)].map((m) => m[1]!));
    const unlogged = [...accepted].filter((id) => !logged.has(id));
    assert.deepEqual(unlogged, [], `${unlogged.length} of ${accepted.size} accepted events ran but their log line is not in flint logs`);
  });

  it('retries an event whose sandbox dies mid-invoke, as a function error', async () => {
    const flint = await startFlintProcess({ args: FAST_ASYNC_FLAGS });
    running.push(flint);
    const lambda = flint.client();
    const recorder = await deployRecorder(lambda);
    const fn = await deployHandler(lambda, "exports.handler = async () => { console.log('dying'); process.exit(3); };");
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: fn, MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: arnOf(recorder) } } }));
    const out = await lambda.send(new InvokeCommand({ FunctionName: fn, InvocationType: 'Event', Payload: Buffer.from('{}') }));
    const record = await recordFor(flint.dataDir, recorder, out.$metadata.requestId);
    assert.equal(record.requestContext.condition, 'RetriesExhausted');
    assert.equal(record.requestContext.approximateInvokeCount, 2);
    assert.equal((record.responsePayload as { errorType: string }).errorType, 'Runtime.ExitError');
  });
});
