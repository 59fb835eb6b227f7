/**
 * Flint as a benchmark target: `flint serve` as its own process (test/helpers/flint-process.ts),
 * with the default pool of pre-started sandboxes; a second server with
 * `--pool-size-per-runtime 0 --pool-max-per-runtime 0` is started when a workload needs it (cold starts
 * without the pool, idle memory). Functions use MemorySize 1769 (one full vCPU).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { logMessages } from '../../test/e2e/async-support.ts';
import { removeDataDir, startFlintProcess, type FlintProcess } from '../../test/helpers/flint-process.ts';
import type { Cleanup } from '../lib/cleanup.ts';
import type { BenchParams } from '../workloads/bench-params.ts';
import type { HandlerKind } from '../workloads/handler-source.ts';
import { invoke } from '../workloads/invoke.ts';
import { FLINT_RUNTIME, createFunction, createPublicUrl, deleteFunction, touchConfiguration } from './flint-functions.ts';
import { createQueueMapping } from './flint-queues.ts';
import { sandboxMemoryKb } from './flint-sandbox-memory.ts';
import type { BenchFunction, HttpRoute, SandboxMemory, Target } from './target.ts';

export interface FlintTargetOptions {
  readonly params: BenchParams;
  readonly sources: Readonly<Record<HandlerKind, string>>;
  readonly cleanup: Cleanup;
}

interface Server {
  readonly flint: FlintProcess;
  readonly functions: Map<string, BenchFunction>;
  readonly stop: () => Promise<void>;
}

async function startServer(o: FlintTargetOptions, extra: readonly string[]): Promise<Server> {
  const flint = await startFlintProcess({ args: ['--host-memory-budget-mb', String(o.params.hostMemoryBudgetMb), ...extra], env: { FLINT_LOG_LEVEL: 'warn' } });
  const stop = o.cleanup.defer(`flint server pid ${flint.child.pid}`, async () => {
    await flint.stop();
    removeDataDir(flint.dataDir);
  });
  return { flint, functions: new Map(), stop };
}

/** The function `name` of `kind` on `server`, created on first use. */
async function fnOn(o: FlintTargetOptions, server: Server, name: string, kind: HandlerKind): Promise<BenchFunction> {
  let fn = server.functions.get(name);
  if (fn === undefined) {
    fn = { client: server.flint.client(), name };
    await createFunction(fn.client, name, o.sources[kind], o.params.functionMemoryMb);
    server.functions.set(name, fn);
  }
  return fn;
}

async function coldSamples(server: Server, fn: BenchFunction, samples: number): Promise<number[]> {
  const out: number[] = [];
  let previous = (await invoke(fn)).instance;
  for (let i = 0; i < samples; i++) {
    await touchConfiguration(fn.client, fn.name, i);
    await sleep(300); // the pool refills in the background; a real cold start finds it full
    const t = performance.now();
    const reply = await invoke(fn);
    out.push(performance.now() - t);
    if (reply.instance === previous) throw new Error(`cold start ${i} on ${server.flint.endpoint} reused a sandbox`);
    previous = reply.instance;
  }
  return out;
}

async function idleSandboxes(server: Server, fn: BenchFunction, count: number, holdMs: number, settleMs: number): Promise<SandboxMemory[]> {
  const pid = server.flint.child.pid!;
  const before = new Set(sandboxMemoryKb(pid).keys());
  const replies = await Promise.all(Array.from({ length: count }, () => invoke(fn, { holdMs })));
  const instances = new Set(replies.map((r) => r.instance)).size;
  if (instances !== count) throw new Error(`${count} concurrent invokes ran in ${instances} sandboxes`);
  await sleep(settleMs);
  const groups = [...sandboxMemoryKb(pid)].filter(([group]) => !before.has(group));
  if (groups.length !== count) throw new Error(`found ${groups.length} new sandbox cgroups for ${count} sandboxes`);
  return groups.map(([, kb]) => ({ pssMiB: kb.pss / 1024, ussMiB: kb.uss / 1024 }));
}

/** Handler starts logged with `mark`, read from the function's log group until `count` are there. */
async function loggedExecutions(server: Server, fn: BenchFunction, mark: string, count: number, timeoutMs: number): Promise<Map<number, number>> {
  const deadline = Date.now() + timeoutMs;
  const pattern = new RegExp(`BENCH-EXEC ${mark} (\\d+) (\\d+)`);
  for (;;) {
    const seen = new Map<number, number>();
    for (const line of await logMessages(server.flint.dataDir, fn.name)) {
      const m = pattern.exec(line);
      if (m) seen.set(Number(m[1]), Number(m[2]));
    }
    if (seen.size >= count || Date.now() > deadline) return seen;
    await sleep(200);
  }
}

/**
 * The messages of the error-level lines (pino level 50 and up) of a server's JSON log written at or
 * after `sinceMs`, oldest first, a repeat once.
 */
export function errorMessages(log: string, sinceMs = 0): string[] {
  const out: string[] = [];
  for (const line of log.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { level?: number; time?: string | number; msg?: string; err?: { message?: string } };
      const message = (entry.err?.message ?? entry.msg)?.split('\n')[0];
      const recent = entry.time === undefined || new Date(entry.time).getTime() >= sinceMs;
      if ((entry.level ?? 0) >= 50 && recent && message !== undefined && out.at(-1) !== message) out.push(message);
    } catch {
      // not a log line
    }
  }
  return out;
}

export async function startFlintTarget(o: FlintTargetOptions): Promise<Target> {
  const main = await startServer(o, []);
  let noPool: Server | undefined;
  const withoutPool = async () => (noPool ??= await startServer(o, ['--pool-size-per-runtime', '0', '--pool-max-per-runtime', '0']));
  const status = (await (await fetch(`${main.flint.endpoint}/flint/status`)).json()) as { isolation?: { driver?: string } };
  let serial = 0;
  const routes = new Map<HandlerKind, Promise<HttpRoute>>();
  return {
    name: 'flint',
    warmFunction: (kind) => fnOn(o, main, `warm-${kind}`, kind),
    freshFunction: (kind, purpose) => fnOn(o, main, `${purpose}-${kind}-${serial++}`, kind),
    httpRoute(kind) {
      if (!routes.has(kind)) routes.set(kind, fnOn(o, main, `warm-${kind}`, kind).then(async (fn) => ({ url: await createPublicUrl(fn.client, fn.name, main.flint.endpoint) })));
      return routes.get(kind)!;
    },
    retire: async (fn) => {
      await deleteFunction(fn.client, fn.name);
      main.functions.delete(fn.name);
    },
    async coldStarts(kind, withPool, samples) {
      const server = withPool ? main : await withoutPool();
      const fn = await fnOn(o, server, `cold-${kind}`, kind);
      return coldSamples(server, fn, samples);
    },
    async idleMemory(kind, sandboxes) {
      const server = await withoutPool();
      const fn = await fnOn(o, server, `memory-${kind}`, kind);
      return { perSandbox: await idleSandboxes(server, fn, sandboxes, o.params.memoryHoldMs, o.params.memorySettleMs) };
    },
    executions: (fn, mark, count, timeoutMs) => loggedExecutions(main, fn, mark, count, timeoutMs),
    queueMapping: async (kind) => createQueueMapping(main.flint.endpoint, await fnOn(o, main, `warm-${kind}`, kind), `bench-${kind}-${serial++}`),
    errorsSince: (sinceMs) => [main, noPool].flatMap((server) => (server ? errorMessages(server.flint.logs(), sinceMs) : [])),
    describe: () => ({
      flint: `flint serve (this tree), sandbox driver: ${status.isolation?.driver ?? 'unknown'}`,
      'flint settings': `--host-memory-budget-mb ${o.params.hostMemoryBudgetMb}; pool: default (2 per runtime, up to 16 for five minutes after bursts), and 0 for the no-pool rows; functions ${FLINT_RUNTIME}, MemorySize ${o.params.functionMemoryMb}`,
    }),
    async stop() {
      await noPool?.stop();
      await main.stop();
    },
  };
}
