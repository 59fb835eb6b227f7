/**
 * Starts a real Flint server process (the `flint serve` command) on a free port
 * with its own data directory, for end-to-end tests through the official clients.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { LambdaClient } from '@aws-sdk/client-lambda';

const ROOT = resolve(import.meta.dirname, '..', '..');
/** Flint's own shutdown grace is 10 s; a stop that takes longer is a bug worth a failing test. */
const STOP_TIMEOUT_MS = 30_000;

export interface FlintProcess {
  readonly endpoint: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  /** Everything the server wrote to stderr (JSON log lines). */
  readonly logs: () => string;
  /** Everything the server wrote to stdout (the start lines). */
  readonly output: () => string;
  /** A Lambda client pointed at this server. */
  client(): LambdaClient;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit (crash simulation). */
  kill(): Promise<void>;
}

export interface StartOptions {
  /** Reuse an existing data directory (restart tests). */
  readonly dataDir?: string;
  /** Extra `flint serve` flags. */
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

export async function startFlintProcess(options: StartOptions = {}): Promise<FlintProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'flint-e2e-'));
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'flint.mjs'), 'serve', '--port', '0', '--data-dir', dataDir, ...(options.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, FLINT_LOG_LEVEL: process.env.FLINT_LOG_LEVEL ?? "info", ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const listening = new Promise<string>((resolveEndpoint, reject) => {
    const timer = setTimeout(() => reject(new Error(`flint did not start in 30 s:\n${stderr}`)), 30_000);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const m = /listening on (http:\/\/\S+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolveEndpoint(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`flint exited with ${code} before listening:\n${stderr}`));
    });
  });
  let endpoint: string;
  try {
    endpoint = await listening;
  } catch (err) {
    // a Flint that never listened leaves neither a process nor the data directory made for it
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    if (options.dataDir === undefined) removeDataDir(dataDir);
    throw err;
  }
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const clients: LambdaClient[] = [];
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    for (const c of clients) c.destroy();
    await endChild(child, exited, signal, 'flint', () => stderr);
  };
  return {
    endpoint,
    dataDir,
    child,
    logs: () => stderr,
    output: () => stdout,
    client: () => {
      const c = lambdaClient(endpoint);
      clients.push(c);
      return c;
    },
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
  };
}

export function lambdaClient(endpoint: string): LambdaClient {
  return new LambdaClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * One Flint server for the enclosing `describe`: started before its tests, stopped and its
 * data directory removed after them. Read `.flint` / `.client` inside tests (set once started).
 */
export function useFlint(options: StartOptions = {}): { readonly flint: FlintProcess; readonly client: LambdaClient } {
  let flint: FlintProcess | undefined;
  let client: LambdaClient | undefined;
  before(async () => {
    flint = await startFlintProcess(options);
    client = flint.client();
  });
  after(async () => {
    if (!flint) return;
    await flint.stop();
    removeDataDir(flint.dataDir);
  });
  return {
    get flint() {
      if (!flint) throw new Error('Flint is not started yet: use it inside a test');
      return flint;
    },
    get client() {
      if (!client) throw new Error('Flint is not started yet: use it inside a test');
      return client;
    },
  };
}

/**
 * Sends `signal` to a child Flint process (unless it has exited) and waits for `exited`; past
 * STOP_TIMEOUT_MS it kills the child with SIGKILL and throws, naming `what` with its last stderr.
 */
export async function endChild<T>(child: ChildProcess, exited: Promise<T>, signal: NodeJS.Signals, what: string, stderr: () => string): Promise<T> {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((r) => (timer = setTimeout(r, STOP_TIMEOUT_MS, 'late')));
  const outcome = await Promise.race([exited, late]);
  clearTimeout(timer);
  if (outcome === 'late') {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`${what} did not exit within ${STOP_TIMEOUT_MS / 1000} s of ${signal}; killed it:\n${stderr().slice(-4000)}`);
  }
  return outcome;
}
