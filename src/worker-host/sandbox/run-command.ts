/**
 * Runs the host tools the namespace driver needs (ip, iptables). They are started from one
 * worker thread (command-thread.ts), not the main thread: `spawn` blocks its thread until the
 * child has exec'd, which under a burst of sandbox starts is long enough to stall every request.
 */
import { getCompileCacheDir } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { CommandRequest, CommandResult } from './command-thread.ts';

export interface CommandOptions {
  /** Written to the command's stdin, which is then closed. */
  readonly input?: string;
  /** Exit codes that count as success besides 0. */
  readonly okCodes?: readonly number[];
  /** The command is killed and the call rejects after this long (default 30 s): no caller waits forever. */
  readonly timeoutMs?: number;
}

export class CommandError extends Error {
  readonly exitCode: number | null;
  readonly stderr: string;
  constructor(command: string, exitCode: number | null, stderr: string) {
    super(`${command} failed (${exitCode ?? 'signal'}): ${stderr.trim().slice(0, 500)}`);
    this.name = 'CommandError';
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

interface Waiting {
  readonly resolve: (result: CommandResult) => void;
  readonly reject: (err: Error) => void;
}

/** The command thread, started on first use; it keeps the process alive only while commands run. */
class CommandThread {
  #worker: Worker | undefined;
  #next = 1;
  readonly #waiting = new Map<number, Waiting>();

  run(request: Omit<CommandRequest, 'id'>): Promise<CommandResult> {
    const worker = this.#running();
    const id = this.#next++;
    return new Promise<CommandResult>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      if (this.#waiting.size === 1) worker.ref();
      worker.postMessage({ ...request, id } satisfies CommandRequest);
    });
  }

  #running(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    // The compile cache Flint enabled (bin/flint.mjs) does not reach a worker thread by itself: told its
    // directory, the thread loads command-thread.ts stripped and compiled from it instead of loading the
    // type stripper (the first command of a start ~55 ms instead of ~80-115). It needs nothing else of
    // the environment: every command gets its own (command-thread.ts).
    const cacheDir = getCompileCacheDir();
    const worker = new Worker(new URL('./command-thread.ts', import.meta.url), cacheDir === undefined ? {} : { env: { NODE_COMPILE_CACHE: cacheDir } });
    worker.unref();
    worker.on('message', (result: CommandResult) => {
      const waiting = this.#waiting.get(result.id);
      this.#waiting.delete(result.id);
      if (this.#waiting.size === 0) worker.unref();
      waiting?.resolve(result);
    });
    // a thread that died fails what it was running; the next command starts a new one
    const fail = (err: Error): void => {
      if (this.#worker === worker) this.#worker = undefined;
      for (const w of this.#waiting.values()) w.reject(err);
      this.#waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the command thread exited (${code})`)));
    this.#worker = worker;
    return worker;
  }
}

const thread = new CommandThread();

/**
 * Runs `file args...` with a minimal environment and resolves with its stdout.
 * Rejects with CommandError on a non-zero exit (unless listed in okCodes).
 */
export async function runCommand(file: string, args: readonly string[], options: CommandOptions = {}): Promise<string> {
  const result = await thread.run({ file, args, input: options.input, timeoutMs: options.timeoutMs ?? 30_000 });
  if (result.error !== undefined) throw new Error(`${file}: ${result.error}`);
  const { code } = result;
  if (code === 0 || (code !== null && options.okCodes?.includes(code))) return result.stdout;
  throw new CommandError([file, ...args.slice(0, 3)].join(' '), code, result.timedOut ? 'timed out' : result.stderr);
}
