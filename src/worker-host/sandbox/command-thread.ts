/**
 * The thread that starts host tools (ip, iptables) for run-command.ts. Node's `spawn` blocks its
 * thread until the child has exec'd, and on a machine whose cores are busy starting sandboxes that
 * wait is the child's scheduling delay (~10 ms each, measured at load 15): on the main thread it
 * would stall every request. Here only this thread waits.
 */
import { spawn } from 'node:child_process';
import { parentPort } from 'node:worker_threads';

export interface CommandRequest {
  readonly id: number;
  readonly file: string;
  readonly args: readonly string[];
  readonly input: string | undefined;
  readonly timeoutMs: number;
}

export interface CommandResult {
  readonly id: number;
  readonly code: number | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
  /** The spawn itself failed (e.g. no such file). */
  readonly error?: string;
}

function run(request: CommandRequest): void {
  const child = spawn(request.file, [...request.args], {
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' },
    stdio: [request.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    timeout: request.timeoutMs,
    killSignal: 'SIGKILL',
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let failed: string | undefined;
  child.stdout!.on('data', (b: Buffer) => out.push(b));
  child.stderr!.on('data', (b: Buffer) => err.push(b));
  child.on('error', (e) => (failed = e.message));
  child.on('close', (code, signal) => {
    const result: CommandResult = { id: request.id, code, timedOut: signal === 'SIGKILL', stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), ...(failed === undefined ? {} : { error: failed }) };
    parentPort!.postMessage(result);
  });
  if (request.input !== undefined && child.stdin) child.stdin.end(request.input);
}

parentPort!.on('message', (request: CommandRequest) => run(request));
