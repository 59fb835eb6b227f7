/**
 * The baseline, the floor for any platform: a plain Node HTTP server process per
 * handler that calls the handler in-process (bench/targets/baseline-main.ts, run
 * as JavaScript). It has no sandboxes: a cold start is a new process, its memory
 * is that process.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import { lambdaClient } from '../../test/helpers/flint-process.ts';
import type { Cleanup } from '../lib/cleanup.ts';
import { startNodeChild } from '../lib/node-child.ts';
import { memoryKb } from '../lib/proc-memory.ts';
import type { HandlerKind } from '../workloads/handler-source.ts';
import { invoke } from '../workloads/invoke.ts';
import { ExecLines } from './exec-lines.ts';
import type { BenchFunction, IdleMemory, Target } from './target.ts';


export interface BaselineTargetOptions {
  /** baseline-main as plain JavaScript (baseline-js.ts). */
  readonly mainJs: string;
  readonly handlerFiles: Readonly<Record<HandlerKind, string>>;
  readonly cleanup: Cleanup;
  readonly holdMs: number;
  readonly settleMs: number;
}

interface Server {
  readonly fn: BenchFunction;
  readonly endpoint: string;
  readonly pid: number;
  readonly stop: () => Promise<void>;
}

async function startServer(o: BaselineTargetOptions, kind: HandlerKind, lines?: ExecLines): Promise<Server> {
  const child = startNodeChild([o.mainJs, o.handlerFiles[kind]]);
  const clients: LambdaClient[] = [];
  const stop = o.cleanup.defer(`baseline pid ${child.pid}`, async () => {
    for (const c of clients) c.destroy();
    await child.stop();
  });
  if (lines) child.onLine(lines.add);
  const [, endpoint] = await child.waitForLine(/^listening (\S+)/, 15_000);
  const fn = { client: lambdaClient(endpoint!), name: kind };
  clients.push(fn.client);
  return { fn, endpoint: endpoint!, pid: child.pid, stop };
}

/** A cold start of a process: spawn a new server, time spawn to its first answer. */
async function processStarts(o: BaselineTargetOptions, kind: HandlerKind, samples: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    const server = await startServer(o, kind);
    await invoke(server.fn);
    out.push(performance.now() - t);
    await server.stop();
  }
  return out;
}

/** Memory of a new server process, idle after serving `concurrent` held invokes at once. */
async function processMemory(o: BaselineTargetOptions, kind: HandlerKind, concurrent: number): Promise<IdleMemory> {
  const server = await startServer(o, kind);
  try {
    await Promise.all(Array.from({ length: concurrent }, () => invoke(server.fn, { holdMs: o.holdMs })));
    await sleep(o.settleMs);
    const kb = memoryKb(server.pid);
    return { perSandbox: [{ pssMiB: kb.pss / 1024, ussMiB: kb.uss / 1024 }] };
  } finally {
    await server.stop();
  }
}

export async function startBaselineTarget(o: BaselineTargetOptions): Promise<Target> {
  const lines = new ExecLines();
  const warm = new Map<HandlerKind, Server>();
  const fresh = new Map<BenchFunction, Server>();
  return {
    name: 'baseline',
    async warmFunction(kind) {
      if (!warm.has(kind)) warm.set(kind, await startServer(o, kind, lines));
      return warm.get(kind)!.fn;
    },
    async freshFunction(kind) {
      const server = await startServer(o, kind);
      fresh.set(server.fn, server);
      return server.fn;
    },
    retire: async (fn) => fresh.get(fn)?.stop(),
    // the floor over HTTP: its server calls the handler in-process with the request body as the event, whatever the path
    async httpRoute(kind) {
      if (!warm.has(kind)) warm.set(kind, await startServer(o, kind, lines));
      return { url: `${warm.get(kind)!.endpoint}/http-route` };
    },
    coldStarts: (kind, _withPool, samples) => processStarts(o, kind, samples),
    idleMemory: (kind, sandboxes) => processMemory(o, kind, sandboxes),
    executions: (_fn, mark, count, timeoutMs) => lines.wait(mark, count, timeoutMs),
    queueMapping: async () => ({ unsupported: 'the baseline is a plain server calling the handler; it has no queues' }),
    describe: () => ({ baseline: `plain Node ${process.version} HTTP server calling the handler in-process (bench/lib/baseline-server.ts), one process per handler` }),
    async stop() {
      for (const s of [...warm.values(), ...fresh.values()]) await s.stop();
    },
  };
}
