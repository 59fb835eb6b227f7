/**
 * A cluster as a team would run it, every part its own process: a throwaway PostgreSQL, two front
 * ends (`flint serve --database ... --no-local-worker`) and three worker hosts (`flint worker`),
 * driven through the AWS SDK as clients would, each call through whichever front end a load
 * balancer might pick.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  GetProvisionedConcurrencyConfigCommand,
  InvokeCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  PutProvisionedConcurrencyConfigCommand,
  PutFunctionEventInvokeConfigCommand,
  ServiceException,
  TooManyRequestsException,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { ownerOf } from '../../src/cluster/index.ts';
import { removeDataDir, startFlintProcess, type FlintProcess } from '../helpers/flint-process.ts';
import { requirePostgres, startPostgres, type PostgresCluster } from '../helpers/postgres.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { eventually, FAST_ASYNC_FLAGS, recordedRequestIds } from '../e2e/async-support.ts';
import { deploy, invoke } from '../e2e/invoke-support.ts';
import { arnOf, uniqueName } from '../e2e/lambda-support.ts';
import { startWorkerProcess, type WorkerProcess } from './cluster-support.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const FLINT = join(ROOT, 'bin', 'flint.mjs');
const HANDLER = [
  {
    name: 'index.js',
    content: `exports.handler = async (event) => {
      await new Promise((r) => setTimeout(r, event.sleepMs || 0));
      return { tag: event.tag, mode: process.env.MODE };
    };`,
  },
];

interface Status {
  hosts: Array<{ id: string; healthy: boolean; memoryBudgetMb: number; memoryInUseMb: number }>;
  frontEnds: Array<{ id: string; endpoint: string }>;
}

/** `flint status --endpoint URL --json`, through the CLI as scripts outside the project read it. */
async function status(endpoint: string): Promise<Status> {
  const { stdout } = await promisify(execFile)(process.execPath, [FLINT, 'status', '--endpoint', endpoint, '--json'], { cwd: ROOT });
  return JSON.parse(stdout) as Status;
}

describe('a cluster of two front ends on PostgreSQL and three worker hosts', { skip: requirePostgres() }, () => {
  let postgres: PostgresCluster;
  let database: string;
  const frontEnds: FlintProcess[] = [];
  const workers: WorkerProcess[] = [];
  let a: FlintProcess;
  let b: FlintProcess;
  const sandboxesCreated = (fn: string) =>
    workers.reduce((n, w) => n + w.logs().split('\n').filter((l) => l.includes('"msg":"sandbox created"') && l.includes(`"function":"${fn}"`)).length, 0);
  /** A front end and the other, by who owns `fn`. */
  const byOwner = async (fn: string) => {
    const fes = (await status(a.endpoint)).frontEnds;
    const owner = fes.find((f) => f.id === ownerOf(fn, fes.map((f) => f.id)))!;
    return owner.endpoint === a.endpoint ? { owner: a, other: b } : { owner: b, other: a };
  };

  before(async () => {
    postgres = await startPostgres();
    database = await postgres.createDatabase();
    const args = ['--database', database, '--no-local-worker', ...FAST_ASYNC_FLAGS, '--async-pollers', '8'];
    // the first start creates the schema: let it finish before the second races it
    a = await startFlintProcess({ args });
    frontEnds.push(a);
    b = await startFlintProcess({ args, env: { FLINT_DATABASE_URL: database } });
    frontEnds.push(b);
    const { stdout } = await promisify(execFile)(process.execPath, [FLINT, 'token', 'create', '--database', database], { cwd: ROOT });
    const token = stdout.trim().split('\n').at(-1)!;
    for (const join_ of [a, b, a]) workers.push(await startWorkerProcess({ join: join_.endpoint, token, args: ['--host-memory-budget-mb', '2048'] }));
    await waitFor(async () => (await status(b.endpoint)).hosts.filter((h) => h.healthy).length === 3 && (await status(a.endpoint)).frontEnds.length === 2, {
      what: 'three healthy hosts and two front ends',
    });
  });
  after(async () => {
    for (const w of workers) {
      w.child.kill('SIGCONT');
      await w.stop().catch(() => undefined);
      removeDataDir(w.dataDir);
    }
    for (const f of frontEnds) {
      await f.stop().catch(() => undefined);
      removeDataDir(f.dataDir);
    }
    await postgres?.stop();
  });

  it('shows every host and both front ends through either front end (flint status --json)', async () => {
    for (const fe of [a, b]) {
      const s = await status(fe.endpoint);
      assert.deepEqual(s.frontEnds.map((f) => f.endpoint).sort(), [a.endpoint, b.endpoint].sort());
      assert.deepEqual(s.hosts.map((h) => h.id).sort(), workers.map((w) => w.id).sort());
      for (const h of s.hosts) assert.equal(h.memoryBudgetMb, 2048);
    }
  });

  it('invokes through one front end a function created through the other, with one sandbox for round-robin traffic', async () => {
    const fn = (await deploy(a.client(), HANDLER)).name;
    for (let i = 0; i < 8; i++) {
      const via = i % 2 === 0 ? b : a;
      const r = await invoke(via.client(), fn, { tag: `call-${i}` });
      assert.equal(r.status, 200);
      assert.equal(r.json.tag, `call-${i}`);
    }
    assert.equal(sandboxesCreated(fn), 1, 'round-robin traffic at concurrency 1 used one sandbox');
  });

  it('sees a configuration change made through one front end in invokes through the other within 1 s', async () => {
    const fn = (await deploy(a.client(), HANDLER, { Environment: { Variables: { MODE: 'one' } } })).name;
    const { other } = await byOwner(fn);
    assert.equal((await invoke(other.client(), fn)).json.mode, 'one');
    const writer = other === a ? b : a;
    await writer.client().send(new UpdateFunctionConfigurationCommand({ FunctionName: fn, Environment: { Variables: { MODE: 'two' } } }));
    await waitUntilFunctionUpdatedV2({ client: writer.client(), maxWaitTime: 20, minDelay: 1 }, { FunctionName: fn });
    // the bound is the (change feed: LISTEN/NOTIFY); both front ends invoke the new configuration
    await waitFor(async () => (await invoke(other.client(), fn)).json.mode === 'two', { what: 'the new configuration through the other front end', timeoutMs: 1_000, everyMs: 50 });
    assert.equal((await invoke(writer.client(), fn)).json.mode, 'two');
  });

  it('holds reserved concurrency 1 across front ends: one runs, the other gets the 429 with its Reason', async () => {
    const fn = (await deploy(a.client(), HANDLER)).name;
    await b.client().send(new PutFunctionConcurrencyCommand({ FunctionName: fn, ReservedConcurrentExecutions: 1 }));
    await invoke(a.client(), fn, { tag: 'warm' });
    const before = workers.reduce((n, w) => n + w.invocations(fn), 0);
    const running = invoke(a.client(), fn, { tag: 'long', sleepMs: 3000 });
    await waitFor(() => workers.reduce((n, w) => n + w.invocations(fn), 0) > before, { what: 'the long invoke running' });
    await assert.rejects(invoke(b.client(), fn, { tag: 'second' }), (err: unknown) => {
      assert.ok(err instanceof TooManyRequestsException, `expected TooManyRequestsException, got ${String(err)}`);
      assert.equal(err.Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
      return true;
    });
    assert.equal((await running).json.tag, 'long');
  });

  it('answers an invoke in flight on a worker killed with SIGKILL with ServiceException (500) through the non-owner; the next invoke runs on another host', async () => {
    const fn = (await deploy(a.client(), HANDLER, { Timeout: 30 })).name;
    const { other } = await byOwner(fn);
    const doomed = invoke(other.client(), fn, { tag: 'doomed', sleepMs: 20_000 }).then(() => undefined, (err: unknown) => err);
    const victim = await waitFor(() => workers.find((w) => w.invocations(fn) === 1), { what: 'the slow invoke running on a worker' });
    await victim.kill();
    workers.splice(workers.indexOf(victim), 1);
    const err = await doomed;
    assert.ok(err instanceof ServiceException, `expected ServiceException, got ${String(err)}`);
    assert.equal(err.$metadata.httpStatusCode, 500);
    const next = await invoke(other.client(), fn, { tag: 'after' });
    assert.equal(next.json.tag, 'after');
    assert.equal(workers.reduce((n, w) => n + w.invocations(fn), 0), 1, 'the next invoke ran on a surviving host');
  });

  it('takes a host that stops heartbeating out of placement on both front ends, and back when it resumes', async () => {
    const w = workers[0]!;
    w.child.kill('SIGSTOP');
    for (const fe of [a, b]) {
      await waitFor(async () => !(await status(fe.endpoint)).hosts.some((h) => h.id === w.id && h.healthy), { what: `the stopped host unhealthy on ${fe.endpoint}`, timeoutMs: 10_000 });
    }
    w.child.kill('SIGCONT');
    for (const fe of [a, b]) {
      await waitFor(async () => (await status(fe.endpoint)).hosts.some((h) => h.id === w.id && h.healthy), { what: `the resumed host healthy on ${fe.endpoint}`, timeoutMs: 10_000 });
    }
  });

  it('drains a worker on SIGTERM: it exits 0 and leaves hosts[] on both front ends', async () => {
    const w = workers.pop()!;
    assert.equal(await w.stop(), 0);
    removeDataDir(w.dataDir);
    // it left the host store; each front end reads that every 500 ms (HostDirectory)
    for (const fe of [a, b]) {
      await waitFor(async () => !(await status(fe.endpoint)).hosts.some((h) => h.id === w.id), { what: `the drained host gone on ${fe.endpoint}`, timeoutMs: 3_000 });
    }
  });

  it('runs all of 500 async events accepted by a front end killed with SIGKILL, none twice after it succeeded; its provisioned concurrency moves to the survivor', async (t) => {
    const lambda = b.client();
    // provisioned concurrency of a function B owns: B keeps it (under its lease), A shows the same status
    const fes = (await status(a.endpoint)).frontEnds;
    const bId = fes.find((f) => f.endpoint === b.endpoint)!.id;
    let prov = uniqueName('prov');
    while (ownerOf(prov, fes.map((f) => f.id)) !== bId) prov = uniqueName('prov');
    await deploy(a.client(), HANDLER, { FunctionName: prov });
    await a.client().send(new PublishVersionCommand({ FunctionName: prov }));
    await a.client().send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: prov, Qualifier: '1', ProvisionedConcurrentExecutions: 1 }));
    const provStatus = async () => (await a.client().send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: prov, Qualifier: '1' }))).Status;
    await waitFor(async () => (await provStatus()) === 'READY', { what: 'provisioned concurrency READY (kept by B, read through A)', timeoutMs: 30_000 });
    assert.equal(sandboxesCreated(prov), 1);

    const fn = (await deploy(lambda, [{ name: 'index.js', content: 'exports.handler = async (e) => { await new Promise((r) => setTimeout(r, 20)); return { n: e.n }; };' }])).name;
    const sink = (await deploy(lambda, [{ name: 'index.js', content: "exports.handler = async () => { throw new Error('keep me in the dead-letter store'); };" }])).name;
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: sink, MaximumRetryAttempts: 0 }));
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: fn, DestinationConfig: { OnSuccess: { Destination: arnOf(sink) } } }));
    const accepted: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < 500) {
          const n = next++;
          const out = await lambda.send(new InvokeCommand({ FunctionName: fn, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ n })) }));
          assert.equal(out.StatusCode, 202);
          accepted.push(out.$metadata.requestId!);
        }
      }),
    );
    await b.kill();
    frontEnds.splice(frontEnds.indexOf(b), 1);
    removeDataDir(b.dataDir);
    const done = await eventually(
      async () => {
        const ids = await recordedRequestIds(a.endpoint, sink);
        return new Set(ids).size >= accepted.length ? ids : undefined;
      },
      'every accepted event run by the surviving front end',
      120_000,
    );
    const missing = accepted.filter((id) => !done.includes(id));
    assert.deepEqual(missing, [], 'every accepted event ran');
    const twice = done.filter((id, i) => done.indexOf(id) !== i);
    assert.deepEqual(twice, [], 'no event ran again after its success was recorded');
    t.diagnostic(`${accepted.length} events accepted by the killed front end, ${done.length} successes recorded`);
    // B's lease on the provisioned config lapses; A owns the function now and starts its own sandbox
    await waitFor(async () => sandboxesCreated(prov) === 2 && (await provStatus()) === 'READY', { what: 'provisioned concurrency taken over by the survivor', timeoutMs: 30_000 });
    // the sandbox B started is reclaimed by its worker host: no live front end knows it
    await waitFor(() => workers.some((w) => w.logs().split('\n').some((l) => l.includes('"msg":"sandbox of a front end that is gone destroyed"') && l.includes(`"function":"${prov}"`))), {
      what: "the killed front end's provisioned sandbox reclaimed by its worker host",
      timeoutMs: 15_000,
    });
    // the workers that joined the killed front end still heartbeat (to the survivor) and take invokes
    await waitFor(async () => (await status(a.endpoint)).hosts.filter((h) => h.healthy).length === workers.length, { what: 'every remaining host healthy on the survivor', timeoutMs: 10_000 });
    assert.equal((await invoke(a.client(), fn, { n: -1 })).json.n, -1);
  });
});
