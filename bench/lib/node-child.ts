/**
 * A Node process started by the benchmark: its output lines are kept for matching,
 * and stop() ends exactly that process by its pid (SIGTERM, then SIGKILL after a grace).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface NodeChild {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves with the first output line (stdout or stderr) matching `pattern`, also one seen before the call. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  /** Calls `listener` for every later output line (stdout or stderr). */
  onLine(listener: (line: string) => void): void;
  /** The last lines of stdout and stderr, for error messages. */
  tail(): string;
  stop(graceMs?: number): Promise<void>;
}

export interface NodeChildOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export function startNodeChild(args: readonly string[], options: NodeChildOptions = {}): NodeChild {
  const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const seen: string[] = [];
  const listeners: Array<(line: string) => void> = [];
  const keep = (line: string) => {
    seen.push(line);
    if (seen.length > 200) seen.shift();
  };
  for (const input of [child.stdout!, child.stderr!]) {
    createInterface({ input }).on('line', (line) => {
      keep(line);
      for (const l of listeners) l(line);
    });
  }
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    pid: child.pid!,
    child,
    waitForLine: (pattern, timeoutMs) => new Promise((resolve, reject) => {
      const earlier = seen.map((l) => pattern.exec(l)).find((m) => m !== null);
      if (earlier) return resolve(earlier);
      const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} in ${timeoutMs} ms:\n${seen.join('\n')}`)), timeoutMs);
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`process ${child.pid} exited before a line matching ${pattern}:\n${seen.join('\n')}`));
      });
      listeners.push((line) => {
        const m = pattern.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(m);
        }
      });
    }),
    onLine: (listener) => listeners.push(listener),
    tail: () => seen.slice(-20).join('\n'),
    stop: async (graceMs = 5000) => {
      if (!running()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => running() && child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
