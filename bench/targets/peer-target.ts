/**
 * The peer as a benchmark target: serverless-offline, started the way its users
 * start it (`serverless offline start`), with node run directly on the framework's
 * bin script so that stopping it by pid stops the server. It serves Lambda's Invoke
 * API on 127.0.0.1, so the same SDK client drives it.
 */
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { lambdaClient } from '../../test/helpers/flint-process.ts';
import type { Cleanup } from '../lib/cleanup.ts';
import { freePort } from '../lib/free-port.ts';
import { startNodeChild } from '../lib/node-child.ts';
import { pssKb } from '../lib/proc-memory.ts';
import { ExecLines } from './exec-lines.ts';
import type { BenchFunction, Target } from './target.ts';
import type { HandlerKind } from '../workloads/handler-source.ts';
import { invoke } from '../workloads/invoke.ts';
import { SERVERLESS_BIN } from './peer-install.ts';
import { peerFunctionName, peerHttpPath, writePeerService } from './peer-service.ts';

export interface PeerTargetOptions {
  readonly versions: string;
  readonly sources: Readonly<Record<HandlerKind, string>>;
  readonly coldSamples: number;
  readonly holdMs: number;
  readonly settleMs: number;
  readonly cleanup: Cleanup;
}

const NO_POOL = 'serverless-offline has no pool of pre-started instances (the row without the pool has its figure)';
const NO_SQS = 'serverless-offline has no SQS: no queue service and no event source mappings to poll one (its serverless-offline-sqs plugin needs an external SQS server)';
const SHARED_PROCESS = 'every instance is a worker thread inside the one serverless-offline process, so memory cannot be attributed to an instance';

/** Environment that keeps the framework offline and quiet: no telemetry, no notifications, no setup prompts. */
function peerEnv(home: string): NodeJS.ProcessEnv {
  return {
    ...process.env, HOME: home, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', SLS_TRACKING_DISABLED: '1',
    SLS_INTERACTIVE_SETUP_DISABLE: '1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1',
  };
}

/** How the server process's PSS grows when `instances` new worker threads start (context for the report). */
async function processGrowth(o: PeerTargetOptions, pid: number, fn: BenchFunction, instances: number): Promise<string> {
  const beforeKb = pssKb(pid);
  await Promise.all(Array.from({ length: instances }, () => invoke(fn, { holdMs: o.holdMs })));
  await sleep(o.settleMs);
  const afterKb = pssKb(pid);
  const each = (afterKb - beforeKb) / 1024 / instances;
  return `the serverless-offline process's PSS went from ${(beforeKb / 1024).toFixed(0)} to ${(afterKb / 1024).toFixed(0)} MiB when ${instances} more instances of ${fn.name} started (${each.toFixed(1)} MiB each)`;
}

export async function startPeerTarget(o: PeerTargetOptions): Promise<Target> {
  const ports = { lambda: await freePort(), http: await freePort(), websocket: await freePort() };
  const dir = writePeerService(o.sources, ports, o.coldSamples);
  const removeDir = o.cleanup.defer(`peer service dir ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  const child = startNodeChild([SERVERLESS_BIN, 'offline', 'start', '--noSponsor'], { cwd: dir, env: peerEnv(`${dir}/home`) });
  const client = lambdaClient(`http://127.0.0.1:${ports.lambda}`);
  const stopChild = o.cleanup.defer(`serverless-offline pid ${child.pid}`, async () => {
    client.destroy();
    await child.stop();
  });
  const lines = new ExecLines();
  child.onLine(lines.add);
  await child.waitForLine(new RegExp(`listening on http://127\\.0\\.0\\.1:${ports.lambda}`), 60_000);
  const fn = (key: string) => ({ client, name: peerFunctionName(key) });
  return {
    name: 'peer',
    warmFunction: async (kind) => fn(kind),
    freshFunction: async (kind, purpose) => fn(`${kind}-${purpose}`),
    retire: async () => undefined,
    httpRoute: async (kind) => ({ url: `http://127.0.0.1:${ports.http}${peerHttpPath(kind)}` }),
    async coldStarts(kind, withPool, samples) {
      if (withPool) return { unsupported: NO_POOL };
      const out: number[] = [];
      for (let i = 0; i < samples; i++) {
        const t = performance.now();
        await invoke(fn(`${kind}-cold-${i}`));
        out.push(performance.now() - t);
      }
      return out;
    },
    idleMemory: async (kind, sandboxes) => ({ unsupported: SHARED_PROCESS, context: await processGrowth(o, child.pid, fn(`${kind}-memory`), sandboxes) }),
    executions: (_fn, mark, count, timeoutMs) => lines.wait(mark, count, timeoutMs),
    queueMapping: async () => ({ unsupported: NO_SQS }),
    describe: () => ({ peer: `${o.versions} on Node ${process.version} (serverless offline start; handlers in worker threads, no isolation, no memory or concurrency limits)` }),
    async stop() {
      await stopChild();
      await removeDir();
    },
  };
}
