/**
 * Concurrency and scaling through the AWS SDK, on an account of 10 with nothing
 * kept unreserved and a scale-up burst of 4 sandboxes per function (refilled at
 * 1 per 10 minutes, so the burst is all a test gets): reserved concurrency,
 * the account quota, the scale-up rate, warm reuse and one sandbox per
 * concurrent invocation, proven from inside the handler.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DeleteFunctionConcurrencyCommand, GetAccountSettingsCommand, PutFunctionConcurrencyCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { removeDataDir, startFlintProcess, type FlintProcess } from '../helpers/flint-process.ts';
import { concurrently, deployQuick, invokeIdentity, tally } from './data-plane-support.ts';

const SLOW_MS = 1000;

describe('concurrency and scaling of invokes', () => {
  let flint: FlintProcess;
  let client: LambdaClient;
  before(async () => {
    const args = ['--account-concurrency', '10', '--min-unreserved-concurrency', '0', '--scale-up-burst', '4', '--scale-up-per-interval', '1', '--scale-up-interval-ms', '600000'];
    flint = await startFlintProcess({ args });
    client = flint.client();
  });
  after(async () => {
    await flint.stop();
    removeDataDir(flint.dataDir);
  });
  const reserve = (name: string, n: number) => client.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: n }));

  it('throttles exactly four of five concurrent invokes of a function reserved at 1', async () => {
    const name = await deployQuick(client);
    await reserve(name, 1);
    const outcomes = await concurrently(client, name, 5, SLOW_MS);
    assert.deepEqual(tally(outcomes), { ok: 1, ReservedFunctionConcurrentInvocationLimitExceeded: 4 });
  });

  it('enforces the account quota on functions without a reservation', async () => {
    const [hog, name] = await Promise.all([deployQuick(client), deployQuick(client)]);
    const unreserved = (await client.send(new GetAccountSettingsCommand({}))).AccountLimit!.UnreservedConcurrentExecutions!;
    await reserve(hog, unreserved - 2); // leaves an unreserved pool of 2
    try {
      const outcomes = await concurrently(client, name, 3, SLOW_MS);
      assert.deepEqual(tally(outcomes), { ok: 2, ConcurrentInvocationLimitExceeded: 1 });
    } finally {
      await client.send(new DeleteFunctionConcurrencyCommand({ FunctionName: hog }));
    }
  });

  it('throttles cold starts past the scale-up burst with FunctionInvocationRateLimitExceeded, and keeps serving warm', async () => {
    const name = await deployQuick(client);
    const outcomes = await concurrently(client, name, 5, SLOW_MS);
    assert.deepEqual(tally(outcomes), { ok: 4, FunctionInvocationRateLimitExceeded: 1 });
    const warm = await invokeIdentity(client, name);
    assert.equal(warm.cold, false, 'a warm sandbox needs no scale-up');
    const metrics = await (await fetch(`${flint.endpoint}/metrics`)).text();
    assert.match(metrics, new RegExp(`flint_throttles_total\\{function="${name}",reason="FunctionInvocationRateLimitExceeded"\\} 1`));
  });

  it('runs concurrent invocations in one sandbox each and reuses warm sandboxes', async () => {
    const name = await deployQuick(client);
    const first = await concurrently(client, name, 3, SLOW_MS);
    const ids = new Set(first.map((o) => o.identity!.sandboxId));
    assert.equal(ids.size, 3, 'three concurrent invocations, three sandboxes');
    assert.deepEqual(first.map((o) => [o.identity!.count, o.cold]), [[1, true], [1, true], [1, true]]);
    const again = [];
    for (let i = 0; i < 4; i++) again.push(await invokeIdentity(client, name));
    assert.ok(again.every((o) => ids.has(o.identity!.sandboxId) && o.cold === false), 'sequential invokes reuse warm sandboxes');
    assert.equal(new Set(again.map((o) => o.identity!.sandboxId)).size, 1, 'load concentrates on the most recently used sandbox');
    assert.deepEqual(again.map((o) => o.identity!.count), [2, 3, 4, 5]);
  });
});
