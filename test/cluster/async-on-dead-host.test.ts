import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { removeDataDir, startFlintProcess, type FlintProcess } from '../helpers/flint-process.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { deploy } from '../e2e/invoke-support.ts';
import { createJoinToken, startWorkerProcess, statusHosts, type WorkerProcess } from './cluster-support.ts';

describe('an async event whose delivery was in flight on a worker host that died', () => {
  let flint: FlintProcess;
  const workers: WorkerProcess[] = [];

  before(async () => {
    flint = await startFlintProcess({ args: ['--no-local-worker'] });
    const token = await createJoinToken(flint.dataDir);
    workers.push(await startWorkerProcess({ join: flint.endpoint, token }), await startWorkerProcess({ join: flint.endpoint, token }));
    await waitFor(async () => (await statusHosts(flint.endpoint)).filter((h) => h.healthy).length === 2, { what: 'both workers healthy' });
  });
  after(async () => {
    for (const w of workers) {
      await w.stop().catch(() => undefined);
      removeDataDir(w.dataDir);
    }
    if (flint) {
      await flint.stop();
      removeDataDir(flint.dataDir);
    }
  });

  it('is retried (a platform error) and delivered on the other worker host', async () => {
    const fn = (
      await deploy(flint.client(), [{ name: 'index.js', content: 'exports.handler = async (e) => { await new Promise((r) => setTimeout(r, e.sleepMs)); return "done"; };' }], { Timeout: 30 })
    ).name;
    const accepted = await flint.client().send(new InvokeCommand({ FunctionName: fn, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ sleepMs: 5000 })) }));
    assert.equal(accepted.StatusCode, 202);
    const victim = await waitFor(() => workers.find((w) => w.invocations(fn) === 1), { what: 'the delivery running on a worker' });
    const survivor = workers.find((w) => w !== victim)!;
    await victim.kill();
    const status = async () => (await (await fetch(`${flint.endpoint}/flint/status`)).json()) as { async: { counters: Record<string, number> } };
    const counters = await waitFor(async () => {
      const c = (await status()).async.counters;
      return c.succeeded === 1 ? c : undefined;
    }, { what: 'the event delivered', timeoutMs: 60_000 });
    assert.ok(counters.platformErrors! >= 1, `the first attempt counted as a platform error: ${JSON.stringify(counters)}`);
    assert.equal(counters.deadLettered, 0);
    assert.equal(survivor.invocations(fn), 1, 'the retry ran on the other worker');
  });
});
