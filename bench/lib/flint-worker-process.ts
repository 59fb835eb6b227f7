/**
 * A `flint worker` host process for the cluster benchmark: joined to a front end with a
 * join token, its own data directory (removed by `stop`), its stderr kept for failures.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');
const STOP_TIMEOUT_MS = 30_000;

export interface FlintWorkerProcess {
  readonly endpoint: string;
  readonly child: ChildProcess;
  /** SIGTERM (the worker drains and leaves), wait for exit, remove the data directory. */
  stop(): Promise<void>;
}

export async function startFlintWorker(join_: string, token: string, extraArgs: readonly string[] = []): Promise<FlintWorkerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'flint-bench-worker-'));
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'flint.mjs'), 'worker', '--join', join_, '--token', token, '--data-dir', dataDir, ...extraArgs], {
    cwd: ROOT,
    env: { ...process.env, FLINT_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-8000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    const endpoint = await new Promise<string>((resolveEndpoint, reject) => {
      const timer = setTimeout(() => reject(new Error(`flint worker did not start in 30 s:\n${stderr}`)), 30_000);
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        const m = /is listening on (http:\/\/\S+)/.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolveEndpoint(m[1]!);
        }
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`flint worker exited before it started:\n${stderr}`));
      });
    });
    return {
      endpoint,
      child,
      async stop() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        const late = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(late);
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}
