/**
 * A long-lived `flint-sandbox-helper serve` process that performs specialisations
 * (read-only code mounts into running sandboxes) and configures the sandbox side of
 * network slots (netlink in the slot's namespace), so that neither a cold start nor
 * a slot pays for spawning a process from Node. Requests are answered in order. If
 * the server has died it is restarted on the next request; once closed it refuses
 * requests (a server started after close would be one nobody ends).
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import type { SandboxSideConfig } from './network-commands.ts';

export interface SpecializeRequest {
  /** Host pid of a process inside the sandbox (its pid 1). */
  readonly pid: number;
  readonly taskDir: string;
  readonly optDir?: string | undefined;
  readonly tmpSizeBytes: number;
}

interface Pending {
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

export class HelperServer {
  readonly #helper: string;
  #child: ChildProcessByStdio<Writable, Readable, null> | undefined;
  #pending: Pending[] = [];
  #buffered = '';
  #closed = false;

  constructor(helper: string) {
    this.#helper = helper;
  }

  specialize(request: SpecializeRequest): Promise<void> {
    for (const dir of [request.taskDir, request.optDir ?? '/']) {
      if (!dir.startsWith('/') || /[\t\n]/.test(dir)) throw new Error(`cannot pass ${JSON.stringify(dir)} to the sandbox helper`);
    }
    return this.#request(['specialize', request.pid, request.taskDir, request.optDir ?? '-', request.tmpSizeBytes]);
  }

  /** Configures the sandbox side of a network slot (its namespace exists, with eth0 in it). */
  configureNetwork(config: SandboxSideConfig): Promise<void> {
    const fields = [config.netnsPath, config.address, config.gateway, config.gatewayMac, config.mode];
    if (fields.some((f) => f === '' || /[\t\n]/.test(f))) return Promise.reject(new Error(`cannot pass ${JSON.stringify(fields)} to the sandbox helper`));
    return this.#request(['netconf', ...fields]);
  }

  #request(fields: readonly (string | number)[]): Promise<void> {
    const line = fields.join('\t');
    if (this.#closed) return Promise.reject(new Error('sandbox helper is closed'));
    return new Promise((resolve, reject) => {
      const child = this.#running();
      this.#pending.push({ resolve, reject });
      if (this.#pending.length === 1) (child.stdout as unknown as Socket).ref(); // an answer awaited keeps the process alive
      child.stdin.write(`${line}\n`);
    });
  }

  /** Starts the server ahead of the first request. */
  warm(): void {
    if (!this.#closed) this.#running();
  }

  /** Ends the server once it has answered what it was asked; later requests are refused. */
  close(): void {
    this.#closed = true;
    this.#child?.stdin.end();
    this.#child = undefined;
  }

  #running(): ChildProcessByStdio<Writable, Readable, null> {
    if (this.#child) return this.#child;
    const child = spawn(this.#helper, ['serve'], { stdio: ['pipe', 'pipe', 'inherit'], env: {} });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => this.#onData(chunk));
    const failAll = (reason: string) => {
      if (this.#child === child) this.#child = undefined;
      for (const p of this.#pending.splice(0)) p.reject(new Error(`sandbox helper ${reason}`));
    };
    child.on('error', (err) => failAll(`failed: ${err.message}`));
    child.on('exit', (code, signal) => failAll(`exited (${code ?? signal})`));
    child.stdin.on('error', () => undefined); // EPIPE is reported through 'exit'
    // an idle server does not keep Flint's process alive (its stdout is ref'd while an answer is awaited)
    child.unref();
    (child.stdin as unknown as Socket).unref();
    (child.stdout as unknown as Socket).unref();
    this.#child = child;
    return child;
  }

  #onData(chunk: string): void {
    this.#buffered += chunk;
    let nl: number;
    while ((nl = this.#buffered.indexOf('\n')) >= 0) {
      const line = this.#buffered.slice(0, nl);
      this.#buffered = this.#buffered.slice(nl + 1);
      const pending = this.#pending.shift();
      if (!pending) continue;
      if (this.#pending.length === 0) (this.#child?.stdout as unknown as Socket | undefined)?.unref();
      if (line === 'ok') pending.resolve();
      else pending.reject(new Error(`sandbox helper: ${line.replace(/^error /, '')}`));
    }
  }
}
