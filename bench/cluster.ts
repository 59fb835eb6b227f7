/**
 * Cluster benchmark: what running Flint as a cluster (PostgreSQL, front ends, worker hosts)
 * costs and gives, in one run on this machine, through @aws-sdk/client-lambda (keep-alive).
 *
 *   node bench/cluster.ts [--quick] [--latency-only]
 *
 * 1. Warm invoke latency of a hello function (nodejs22.x, 1769 MB = one vCPU, as
 *    bench/invoke-latency.ts: a 128 MB sandbox would measure CFS throttling, not the path),
 *    sequential, after a warm-up, the paths taking turns: (a) all-in-one `flint serve` (SQLite,
 *    local worker); (b0) a front end on PostgreSQL keeping its local worker (the store and the
 *    shared count without the worker-host hop); (b) PostgreSQL + 1 front end + 1 worker host; (c) 2 front ends + 1 worker host, invoking
 *    the function's owner (ownerOf over the ids `flint status --json` lists) and the other
 *    front end (one forwarding hop). The target: at most 0.5 ms p50 over the all-in-one.
 * 2. Throughput with 1 vs 3 worker hosts behind 1 front end: a 128 MB function that sleeps
 *    100 ms (not CPU: this machine has 2 cores, so a CPU-bound function measures the cores;
 *    a sleep measures how far sandboxes spread over hosts), closed loop at concurrency 32 for
 *    12 s. Two host sizes: capacity-bound (each host's budget holds 12 such sandboxes, as a
 *    small machine would: one host cannot run 32 at once, three can) and ample (each host
 *    could run all 32: the ratio then shows the front end's and the protocol's cost only).
 *    Throttled invokes (no host has room: 429) are counted and retried after 100 ms.
 *
 * Everything runs on this machine (loopback), and the load generator shares its 2 cores
 * with the front ends, workers, sandboxes and PostgreSQL: figures are indicative.
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { CreateFunctionCommand, InvokeCommand, waitUntilFunctionActiveV2, type LambdaClient } from '@aws-sdk/client-lambda';
import { ownerOf } from '../src/cluster/index.ts';
import { removeDataDir, startFlintProcess, type FlintProcess } from '../test/helpers/flint-process.ts';
import { requirePostgres, startPostgres, type PostgresCluster } from '../test/helpers/postgres.ts';
import { nodeHandlerZip } from '../test/helpers/zip.ts';
import { Cleanup } from './lib/cleanup.ts';
import { startFlintWorker, type FlintWorkerProcess } from './lib/flint-worker-process.ts';
import { fmt, load, summarize, type Summary } from './lib/stats.ts';

const ROOT = resolve(import.meta.dirname, '..');
const FLINT = join(ROOT, 'bin', 'flint.mjs');
const quick = process.argv.includes('--quick');
const latencyOnly = process.argv.includes('--latency-only');
const WARMUP = quick ? 50 : 200;
const WARM_N = quick ? 200 : 2000;
const ROUNDS = 10;
const LOAD_MS = quick ? 3000 : 12_000;
const CONCURRENCY = 32;
const SLEEP_MS = 100;
const THROTTLE_BACKOFF_MS = 100;
const SMALL_HOST_MB = 12 * 128;
const LARGE_HOST_MB = 16_384;
const TARGET_P50_MS = 0.5;
const ROLE = 'arn:aws:iam::000000000000:role/bench';
const HELLO = `exports.handler = async (event) => ({ hello: 'world', event });`;
const SLEEPER = `exports.handler = async () => { await new Promise((r) => setTimeout(r, ${SLEEP_MS})); return 1; };`;
const run = promisify(execFile);
const cleanup = new Cleanup();
const out: string[] = [];
const say = (line = ''): void => {
  out.push(line);
  process.stdout.write(`${line}\n`);
};

interface StatusBody {
  readonly hosts: ReadonlyArray<{ readonly id: string; readonly healthy: boolean; readonly sandboxes: number }>;
  readonly frontEnds: ReadonlyArray<{ readonly id: string; readonly endpoint: string; readonly self?: boolean }>;
  readonly sandboxes: ReadonlyArray<{ readonly function: string; readonly idle: number; readonly busy: number }>;
}

const status = async (endpoint: string): Promise<StatusBody> => (await (await fetch(`${endpoint}/flint/status`)).json()) as StatusBody;

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function createFn(client: LambdaClient, name: string, source: string, memory: number): Promise<void> {
  await client.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, MemorySize: memory, Timeout: 30, Code: { ZipFile: await nodeHandlerZip(source) } }));
  await waitUntilFunctionActiveV2({ client, maxWaitTime: 30, minDelay: 1 }, { FunctionName: name });
}

async function invoke(client: LambdaClient, name: string): Promise<void> {
  const r = await client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{"n":1}') }));
  if (r.FunctionError !== undefined) throw new Error(`${name} failed: ${Buffer.from(r.Payload ?? []).toString()}`);
}

/** A cluster front end on `database`; `stopFrontEnd(fe)` stops it and removes its data directory. */
async function frontEnd(database: string): Promise<FlintProcess> {
  const fe = await startFlintProcess({ args: ['--database', database, '--no-local-worker'], env: { FLINT_LOG_LEVEL: 'warn' } });
  undo.set(fe, cleanup.defer(`front end ${fe.endpoint}`, async () => {
    await fe.stop();
    removeDataDir(fe.dataDir);
  }));
  return fe;
}

const undo = new Map<object, () => Promise<void>>();
const stopped = async (p: object): Promise<void> => undo.get(p)?.();

async function workers(fe: FlintProcess, database: string, count: number, budgetMb: number): Promise<FlintWorkerProcess[]> {
  const { stdout } = await run(process.execPath, [FLINT, 'token', 'create', '--database', database], { cwd: ROOT });
  const token = stdout.trim().split('\n').at(-1)!;
  const started: FlintWorkerProcess[] = [];
  for (let i = 0; i < count; i++) {
    const w = await startFlintWorker(fe.endpoint, token, ['--host-memory-budget-mb', String(budgetMb)]);
    undo.set(w, cleanup.defer(`worker ${w.endpoint}`, () => w.stop()));
    started.push(w);
  }
  await until(`${count} healthy hosts`, async () => (await status(fe.endpoint)).hosts.filter((h) => h.healthy).length === count);
  return started;
}

function row(label: string, s: Summary, base: Summary | undefined): string {
  const diff = base === undefined ? '' : `${s.p50 - base.p50 >= 0 ? '+' : ''}${fmt(s.p50 - base.p50, 3)}`;
  return `| ${label} | ${fmt(s.p50, 3)} | ${fmt(s.p90, 3)} | ${fmt(s.p99, 3)} | ${fmt(s.min, 3)} | ${fmt(s.max, 2)} | ${diff} |`;
}

async function latency(pg: PostgresCluster): Promise<void> {
  // (a) all-in-one
  const allInOne = await startFlintProcess({ args: ['--host-memory-budget-mb', '100000'], env: { FLINT_LOG_LEVEL: 'warn' } });
  undo.set(allInOne, cleanup.defer('all-in-one', async () => {
    await allInOne.stop();
    removeDataDir(allInOne.dataDir);
  }));
  await createFn(allInOne.client(), 'hello', HELLO, 1769);

  // (b0) PostgreSQL, 1 front end running its own local worker: the cluster's store and shared count, no worker-host hop
  const local = await startFlintProcess({ args: ['--database', await pg.createDatabase(), '--host-memory-budget-mb', '100000'], env: { FLINT_LOG_LEVEL: 'warn' } });
  undo.set(local, cleanup.defer('front end with a local worker', async () => {
    await local.stop();
    removeDataDir(local.dataDir);
  }));
  await createFn(local.client(), 'hello', HELLO, 1769);

  // (b) PostgreSQL, 1 front end, 1 worker host
  const single = await pg.createDatabase();
  const fe = await frontEnd(single);
  const singleHosts = await workers(fe, single, 1, LARGE_HOST_MB);
  await createFn(fe.client(), 'hello', HELLO, 1769);

  // (c) 2 front ends on another database, 1 worker host: the owner and the other one
  const pair = await pg.createDatabase();
  const fe1 = await frontEnd(pair);
  const fe2 = await frontEnd(pair);
  const pairHosts = await workers(fe1, pair, 1, LARGE_HOST_MB);
  await until('both front ends to see each other', async () => (await status(fe1.endpoint)).frontEnds.length === 2 && (await status(fe2.endpoint)).frontEnds.length === 2);
  await createFn(fe1.client(), 'hello', HELLO, 1769);
  const { stdout } = await run(process.execPath, [FLINT, 'status', '--endpoint', fe1.endpoint, '--json'], { cwd: ROOT });
  const listed = (JSON.parse(stdout) as StatusBody).frontEnds;
  const ownerId = ownerOf('hello', listed.map((f) => f.id))!;
  const [owner, other] = ownerId === listed.find((f) => f.self === true)!.id ? [fe1, fe2] : [fe2, fe1];

  // the four paths in turns (ROUNDS rounds of WARM_N / ROUNDS each), so that the machine's other load falls on all alike
  const paths = [allInOne.client(), local.client(), fe.client(), owner.client(), other.client()];
  for (const client of paths) for (let i = 0; i < WARMUP; i++) await invoke(client, 'hello');
  const samples: number[][] = paths.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, client] of paths.entries()) samples[i]!.push(...(await load(WARM_N / ROUNDS, 1, () => invoke(client, 'hello'))).latencies);
  }
  const [a, b0, b, viaOwner, viaOther] = samples.map((s) => summarize(s)) as [Summary, Summary, Summary, Summary, Summary];
  const held = async (p: FlintProcess) => (await status(p.endpoint)).sandboxes.filter((s) => s.function === 'hello').reduce((n, s) => n + s.idle + s.busy, 0);
  const [ownerHeld, otherHeld] = [await held(owner), await held(other)];
  for (const p of [...pairHosts, fe2, fe1, ...singleHosts, fe, local, allInOne]) await stopped(p);

  say(`Warm invoke latency, hello (nodejs22.x, 1769 MB), sequential, ${WARM_N} invokes per path after ${WARMUP} warm-up, the paths taking turns in ${ROUNDS} rounds, ms`);
  say();
  say('| path | p50 | p90 | p99 | min | max | p50 vs all-in-one |');
  say('|---|---|---|---|---|---|---|');
  say(row('(a) all-in-one `flint serve` (SQLite, local worker)', a, undefined));
  say(row('(b0) PostgreSQL, 1 front end with its local worker (no worker-host hop)', b0, a));
  say(row('(b) cluster: PostgreSQL, 1 front end, 1 worker host', b, a));
  say(row('(c) 2 front ends, 1 worker host: via the owner', viaOwner, a));
  say(row('(c) 2 front ends, 1 worker host: via the other (forwarded to the owner)', viaOther, a));
  say();
  say(`(c): sandboxes for "hello" held by the owner's worker manager: ${ownerHeld}, by the other front end's: ${otherHeld} (0: every invoke it took was forwarded)`);
  say(`PostgreSQL store + shared count (b0 - a, p50): ${fmt(b0.p50 - a.p50, 3)} ms; worker-host hop (b - b0): ${fmt(b.p50 - b0.p50, 3)} ms; forwarding hop (other - owner): ${fmt(viaOther.p50 - viaOwner.p50, 3)} ms`);
  for (const [label, s] of [['(b0) local worker', b0], ['(b) 1 front end', b], ['(c) via the owner', viaOwner], ['(c) via the other front end', viaOther]] as const) {
    const over = s.p50 - a.p50;
    say(`target p50 <= all-in-one + ${TARGET_P50_MS} ms, ${label}: ${over <= TARGET_P50_MS ? 'holds' : 'MISSED'} (${over >= 0 ? '+' : ''}${fmt(over, 3)} ms)`);
  }
}

interface Throughput {
  readonly perSecond: number;
  readonly ok: number;
  readonly throttled: number;
  readonly errors: number;
  readonly latency: Summary;
  /** Host id -> the most sandboxes it reported (heartbeat) during the load. */
  readonly perHost: ReadonlyMap<string, number>;
}

async function throughputPhase(pg: PostgresCluster, hostCount: number, budgetMb: number): Promise<Throughput> {
  const database = await pg.createDatabase();
  const fe = await frontEnd(database);
  const started = await workers(fe, database, hostCount, budgetMb);
  const client = fe.client();
  await createFn(client, 'sleeper', SLEEPER, 128);
  let ok = 0;
  let throttled = 0;
  let errors = 0;
  let lastError = '';
  const latencies: number[] = [];
  const once = async (): Promise<void> => {
    const t = performance.now();
    try {
      await invoke(client, 'sleeper');
      ok++;
      latencies.push(performance.now() - t);
    } catch (err) {
      if ((err as Error).name === 'TooManyRequestsException') throttled++;
      else {
        errors++;
        lastError = (err as Error).message;
      }
      await sleep(THROTTLE_BACKOFF_MS);
    }
  };
  const closedLoop = async (ms: number): Promise<number> => {
    const t0 = performance.now();
    const deadline = t0 + ms;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) await once();
    }));
    return performance.now() - t0;
  };
  // sandboxes come up outside the timing: load until the hosts hold as many as can run (or 30 s), then a little more
  const wanted = Math.min(CONCURRENCY, hostCount * Math.floor(budgetMb / 128));
  const warmUntil = Date.now() + 30_000;
  while (Date.now() < warmUntil && (await status(fe.endpoint)).hosts.reduce((n, h) => n + h.sandboxes, 0) < wanted) await closedLoop(1000);
  await closedLoop(2000);
  [ok, throttled, errors] = [0, 0, 0];
  latencies.length = 0;
  const perHost = new Map<string, number>();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      for (const h of (await status(fe.endpoint)).hosts) perHost.set(h.id, Math.max(perHost.get(h.id) ?? 0, h.sandboxes));
      await sleep(250);
    }
  })();
  const wallMs = await closedLoop(LOAD_MS);
  sampling = false;
  await sampler;
  if (errors > 0) process.stderr.write(`${errors} invokes failed; last: ${lastError}\n`);
  for (const w of started) await stopped(w);
  await stopped(fe);
  return { perSecond: (ok / wallMs) * 1000, ok, throttled, errors, latency: summarize(latencies), perHost };
}

async function throughput(pg: PostgresCluster): Promise<void> {
  say();
  say(`Throughput, 1 front end on PostgreSQL: a 128 MB function sleeping ${SLEEP_MS} ms, closed loop at concurrency ${CONCURRENCY} for ${LOAD_MS / 1000} s after a warm-up`);
  say(`(a sleep, not CPU: the figure is about spreading sandboxes over hosts; the ideal is ${fmt((CONCURRENCY * 1000) / SLEEP_MS, 0)}/s)`);
  say();
  say('| hosts | host budget | invokes/s | throttled (429) | errors | p50 ms | p99 ms | most sandboxes per host during the load |');
  say('|---|---|---|---|---|---|---|---|');
  for (const [label, budgetMb] of [['capacity-bound', SMALL_HOST_MB], ['ample', LARGE_HOST_MB]] as const) {
    const results: Throughput[] = [];
    for (const hostCount of [1, 3]) {
      const r = await throughputPhase(pg, hostCount, budgetMb);
      results.push(r);
      const spread = [...r.perHost.values()].join(' / ');
      say(`| ${hostCount} | ${budgetMb} MB (${label}: ${Math.floor(budgetMb / 128)} sandboxes) | ${fmt(r.perSecond, 0)} | ${r.throttled} | ${r.errors} | ${fmt(r.latency.p50, 1)} | ${fmt(r.latency.p99, 1)} | ${spread} |`);
    }
    say(`| | ${label}: 3 hosts / 1 host | ${fmt(results[1]!.perSecond / results[0]!.perSecond)}x | | | | | |`);
  }
}

async function main(): Promise<void> {
  const missing = requirePostgres();
  if (missing !== false) throw new Error(`the cluster benchmark needs PostgreSQL: ${missing}`);
  cleanup.onSignals();
  const t0 = performance.now();
  try {
    const pg = await startPostgres();
    cleanup.defer('PostgreSQL', () => pg.stop());
    say(`Cluster benchmark (${quick ? 'quick' : 'full'}), ${new Date().toISOString()}, everything on this machine (loopback, shared cores: noisy)`);
    say();
    await latency(pg);
    if (!latencyOnly) await throughput(pg);
    say();
    say(`total ${fmt((performance.now() - t0) / 1000, 0)} s`);
  } finally {
    await cleanup.runAll();
  }
}

await main();
