import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { GetFunctionCommand, PublishLayerVersionCommand, ServiceException } from '@aws-sdk/client-lambda';
import { removeDataDir, startFlintProcess, type FlintProcess } from '../helpers/flint-process.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { makeZip } from '../helpers/zip.ts';
import { deploy, invoke } from '../e2e/invoke-support.ts';
import { createJoinToken, failingWorker, startWorkerProcess, statusHosts, type HostRow, type WorkerProcess } from './cluster-support.ts';

const HANDLER = [
  {
    name: 'index.js',
    content: `exports.handler = async (event) => {
      console.log('started ' + event.tag);
      await new Promise((r) => setTimeout(r, event.sleepMs || 0));
      return { tag: event.tag, data: event.data };
    };`,
  },
];
const TIMEOUT_S = 30;

/** Not a default (that follows the machine's memory): the value must travel from the worker's flag to hosts[]. */
const WORKER_BUDGET_MB = 4321;

describe('a front end with --no-local-worker and worker hosts joined with flint worker', () => {
  let flint: FlintProcess;
  let token: string;
  const workers: WorkerProcess[] = [];
  const hosts = () => statusHosts(flint.endpoint);
  const healthy = async (ids: readonly string[]) => {
    const rows = await hosts();
    return ids.every((id) => rows.some((h) => h.id === id && h.healthy));
  };
  const startWorker = async () => {
    const w = await startWorkerProcess({ join: flint.endpoint, token, args: ['--host-memory-budget-mb', String(WORKER_BUDGET_MB)] });
    workers.push(w);
    return w;
  };

  before(async () => {
    flint = await startFlintProcess({ args: ['--no-local-worker'] });
    token = await createJoinToken(flint.dataDir);
  });
  after(async () => {
    for (const w of workers) {
      w.child.kill('SIGCONT');
      await w.stop().catch(() => undefined);
      removeDataDir(w.dataDir);
    }
    if (flint) {
      await flint.stop();
      removeDataDir(flint.dataDir);
    }
  });

  it('refuses a worker whose join token the cluster did not create, and it exits non-zero with a clear error', async () => {
    const refused = await failingWorker({ join: flint.endpoint, token: 'flint-join-not-a-token-of-this-cluster' });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /refused to let this worker host join: the join token is not valid/);
    assert.deepEqual(await hosts(), []);
  });

  it('lists joined worker hosts in flint status --json with their capacity', async () => {
    const [a, b] = [await startWorker(), await startWorker()];
    await waitFor(() => healthy([a!.id, b!.id]), { what: 'both workers healthy in hosts[]' });
    const rows = await hosts();
    assert.equal(rows.length, 2);
    for (const w of [a!, b!]) {
      const row = rows.find((h) => h.id === w.id)!;
      assert.equal(row.endpoint, w.endpoint);
      assert.equal(row.draining, false);
      assert.equal(row.memoryBudgetMb, WORKER_BUDGET_MB, 'the budget the worker was started with');
      assert.equal(row.memoryInUseMb, 0);
      assert.equal(row.sandboxes, 0);
      assert.equal(typeof row.heartbeatAgeMs, 'number');
      assert.equal(typeof row.leaseAgeMs, 'number');
    }
  });

  let fn: string;
  it('runs invocations on a worker host, payloads intact, with the package fetched from the front end and cached on the worker', async () => {
    fn = (await deploy(flint.client(), HANDLER, { Timeout: TIMEOUT_S })).name;
    const data = 'é ü ß \u0000 \u2028 😀 \\ " </script> ' + 'x'.repeat(70_000);
    const r = await invoke(flint.client(), fn, { tag: 'first', data });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { tag: 'first', data });
    const ranOn = workers.filter((w) => w.ran(fn));
    assert.equal(ranOn.length, 1, 'exactly one worker host ran the sandbox');
    const sha = Buffer.from((await flint.client().send(new GetFunctionCommand({ FunctionName: fn }))).Configuration!.CodeSha256!, 'base64').toString('hex');
    assert.ok(existsSync(join(ranOn[0]!.dataDir, 'cache', 'packages', `${sha}.zip`)), 'the verified package is in the worker L1');
    const row = await waitFor(async () => (await hosts()).find((h) => h.id === ranOn[0]!.id && h.sandboxes === 1), { what: 'the sandbox in the host heartbeat' });
    assert.equal(row.memoryInUseMb, 128);
  });

  it('runs a function with a layer on a worker host: the layer package travels from the front end like function code', async () => {
    const layer = await flint.client().send(new PublishLayerVersionCommand({
      LayerName: 'remote-layer',
      Content: { ZipFile: await makeZip([{ name: 'nodejs/node_modules/remote/index.js', content: 'module.exports = "from a layer";' }]) },
    }));
    const withLayer = (await deploy(flint.client(), [{ name: 'index.js', content: 'exports.handler = async () => require("remote");' }], { Layers: [layer.LayerVersionArn!] })).name;
    const r = await invoke(flint.client(), withLayer);
    assert.equal(r.functionError, undefined, r.text);
    assert.equal(r.json, 'from a layer');
    const ranOn = workers.find((w) => w.ran(withLayer))!;
    const sha = Buffer.from(layer.Content!.CodeSha256!, 'base64').toString('hex');
    assert.ok(existsSync(join(ranOn.dataDir, 'cache', 'packages', `${sha}.zip`)), 'the verified layer package is in the worker L1');
  });

  let survivor: WorkerProcess;
  it('fails an invoke in flight on a worker killed with SIGKILL with ServiceException (500) within the timeout; the next invoke runs on the other worker', async () => {
    const slow = (await deploy(flint.client(), HANDLER, { Timeout: TIMEOUT_S })).name;
    const started = Date.now();
    const doomed = invoke(flint.client(), slow, { tag: 'doomed', sleepMs: (TIMEOUT_S - 5) * 1000 }).then(
      () => undefined,
      (err: unknown) => err,
    );
    const victim = await waitFor(() => workers.slice(0, 2).find((w) => w.invocations(slow) === 1), { what: 'the slow invoke running on a worker' });
    survivor = workers.slice(0, 2).find((w) => w !== victim)!;
    await victim.kill();
    const err = await doomed;
    assert.ok(err instanceof ServiceException, `expected ServiceException, got ${String(err)}`);
    assert.equal(err.name, 'ServiceException');
    assert.equal(err.$metadata.httpStatusCode, 500);
    assert.ok(Date.now() - started < TIMEOUT_S * 1000, 'the invoke failed before the function timeout, it did not hang');

    const next = await invoke(flint.client(), slow, { tag: 'after' });
    assert.equal(next.status, 200);
    assert.equal(next.json.tag, 'after');
    assert.equal(survivor.invocations(slow), 1, 'the next invoke ran on the other worker');
    await waitFor(async () => !(await hosts()).some((h) => h.id === victim.id), { what: 'the killed worker gone from hosts[]', timeoutMs: 15_000 });
  });

  it('drains a worker on SIGTERM: its busy invoke finishes, then it leaves hosts[] and exits 0', async () => {
    const before = survivor.invocations(fn);
    const busy = invoke(flint.client(), fn, { tag: 'drained', sleepMs: 3000 });
    await waitFor(() => survivor.invocations(fn) > before, { what: 'the invoke running on the worker' });
    const exit = survivor.stop();
    const r = await busy;
    assert.equal(r.status, 200);
    assert.equal(r.json.tag, 'drained');
    assert.equal(await exit, 0);
    assert.ok(!(await hosts()).some((h) => h.id === survivor.id), 'the drained worker left hosts[]');
  });

  it('takes a worker that stops heartbeating (SIGSTOP) out of placement; resumed, it joins again clean; flint worker drain makes it leave', async () => {
    const w = await startWorker();
    await waitFor(() => healthy([w.id]), { what: 'the new worker healthy' });
    assert.equal((await invoke(flint.client(), fn, { tag: 'before-stop' })).status, 200);
    w.child.kill('SIGSTOP');
    // 3 missed heartbeats (3 s) plus a directory refresh (0.5 s) and a status read; the bound is for failure only (the rule is unit-tested)
    await waitFor(async () => !(await hosts()).some((h: HostRow) => h.id === w.id && h.healthy), { what: 'the stopped worker out of placement', timeoutMs: 8_000 });
    w.child.kill('SIGCONT');
    await waitFor(() => healthy([w.id]), { what: 'the resumed worker healthy again', timeoutMs: 15_000 });
    assert.match(w.logs(), /does not know this host any more: dropping every sandbox and registering again/);
    const before = w.invocations(fn);
    const r = await invoke(flint.client(), fn, { tag: 'resumed' });
    assert.equal(r.status, 200);
    assert.equal(w.invocations(fn), before + 1);

    const { stdout } = await promisify(execFile)(process.execPath, [resolve(import.meta.dirname, '..', '..', 'bin', 'flint.mjs'), 'worker', 'drain', '--endpoint', w.endpoint, '--token', token]);
    assert.match(stdout, /is draining/);
    assert.equal(await w.exited, 0);
    assert.ok(!(await hosts()).some((h) => h.id === w.id));
  });
});
