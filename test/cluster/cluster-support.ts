/**
 * Real cluster processes for tests: `flint token create`, and `flint worker --join` processes
 * (each with its own data directory) next to a `flint serve --no-local-worker` started with
 * test/helpers/flint-process.ts.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { endChild } from '../helpers/flint-process.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const FLINT = join(ROOT, 'bin', 'flint.mjs');

/** `flint token create --data-dir DIR`: the token (its last line). */
export async function createJoinToken(dataDir: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [FLINT, 'token', 'create', '--data-dir', dataDir], { cwd: ROOT });
  const lines = stdout.trim().split('\n');
  return lines[lines.length - 1]!;
}

export interface WorkerProcess {
  readonly id: string;
  readonly endpoint: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  readonly logs: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Whether this worker created a sandbox of `functionName` (its host API logs each one). */
  ran(functionName: string): boolean;
  /** How many invokes of `functionName` this worker has started (its host API logs each one at debug level). */
  invocations(functionName: string): number;
  /** SIGTERM (drain) and wait for exit; the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
}

export interface WorkerStart {
  readonly join: string;
  readonly token: string;
  readonly args?: readonly string[];
}

/** Spawns `flint worker`; resolves once it printed its start line. */
export async function startWorkerProcess(options: WorkerStart): Promise<WorkerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'flint-worker-'));
  const child = spawnWorker(options, dataDir);
  let stderr = '';
  let stdout = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  // a worker's data directory is its own (never restarted on): it goes with the process
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code))).finally(() => rmSync(dataDir, { recursive: true, force: true }));
  const started = await new Promise<{ id: string; endpoint: string }>((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`flint worker did not start in 30 s:\n${stderr}`)), 30_000);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const m = /worker host (\S+) is listening on (http:\/\/\S+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolveStart({ id: m[1]!, endpoint: m[2]! });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`flint worker exited with ${code} before listening:\n${stderr}`));
    });
  });
  const end = (signal: NodeJS.Signals): Promise<number | null> => endChild(child, exited, signal, 'flint worker', () => stderr);
  return {
    ...started,
    dataDir,
    child,
    logs: () => stderr,
    exited,
    ran: (functionName) => stderr.includes(`"function":"${functionName}"`) && stderr.includes('sandbox created'),
    invocations: (functionName) => stderr.split('\n').filter((l) => l.includes('"msg":"invoke started"') && l.includes(`"function":"${functionName}"`)).length,
    stop: () => end('SIGTERM'),
    kill: async () => void (await end('SIGKILL')),
  };
}

/** Runs `flint worker` expecting it to fail to start: its exit code and stderr. */
export async function failingWorker(options: WorkerStart): Promise<{ code: number | null; stderr: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'flint-worker-'));
  const child = spawnWorker(options, dataDir);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  rmSync(dataDir, { recursive: true, force: true });
  return { code, stderr };
}

function spawnWorker(options: WorkerStart, dataDir: string): ChildProcess {
  return spawn(process.execPath, [FLINT, 'worker', '--join', options.join, '--token', options.token, '--data-dir', dataDir, ...(options.args ?? [])], {
    cwd: ROOT,
    // debug: the host API logs each invoke it starts (tests see where an invoke runs)
    env: { ...process.env, FLINT_LOG_LEVEL: 'debug' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface HostRow {
  readonly id: string;
  readonly healthy: boolean;
  readonly draining: boolean;
  readonly endpoint?: string;
  readonly memoryBudgetMb: number;
  readonly memoryInUseMb: number;
  readonly sandboxes: number;
  readonly heartbeatAgeMs?: number;
  readonly leaseAgeMs?: number;
}

/** `flint status --endpoint URL --json`'s `hosts[]`, through the CLI as scripts outside the project read it. */
export async function statusHosts(endpoint: string): Promise<HostRow[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [FLINT, 'status', '--endpoint', endpoint, '--json'], { cwd: ROOT });
  return (JSON.parse(stdout) as { hosts: HostRow[] }).hosts;
}
