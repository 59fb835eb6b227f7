/** Runs the host tools the namespace driver needs (ip, iptables, the native helper). */
import { spawn } from 'node:child_process';

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

/**
 * Runs `file args...` with a minimal environment and resolves with its stdout.
 * Rejects with CommandError on a non-zero exit (unless listed in okCodes).
 */
export function runCommand(file: string, args: readonly string[], options: CommandOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' },
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 30_000,
      killSignal: 'SIGKILL',
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out).toString();
      if (code === 0 || (code !== null && options.okCodes?.includes(code))) resolve(stdout);
      else reject(new CommandError([file, ...args.slice(0, 3)].join(' '), code, signal === 'SIGKILL' ? 'timed out' : Buffer.concat(err).toString()));
    });
    if (options.input !== undefined && child.stdin) child.stdin.end(options.input);
  });
}
