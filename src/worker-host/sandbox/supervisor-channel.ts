/**
 * Flint's end of a sandbox supervisor's control channel: Node's IPC channel to
 * flint-sandbox-helper (stdio 'ipc'), inherited by the supervisor, pid 1 of the sandbox,
 * which speaks Node's JSON framing (one JSON value per line; see flint-sandbox-helper.c).
 *
 * In: `{"exit":STATUS}` each time a runtime run ended; once, before the first runtime
 * starts, `{"runtimeApi":"127.0.0.1:9001"}` with the socket listening there attached
 * (a `net.Native` handle, SCM_RIGHTS). Out: `"kill"`, `"start"`.
 */
import type { ChildProcess, Serializable } from 'node:child_process';
import type { SupervisorControl } from './namespace-sandbox.ts';
import type { RuntimeApiListenerHandle } from './sandbox-driver.ts';

export class SupervisorChannel implements SupervisorControl {
  readonly #child: ChildProcess;
  readonly #exitListeners: ((status: number) => void)[] = [];
  /** Settles with the sandbox's Runtime API listener, or rejects if the channel ends first. */
  readonly runtimeApiListener: Promise<RuntimeApiListenerHandle>;
  #listenerTaken = false;
  #listener: RuntimeApiListenerHandle | undefined;
  #closed = false;

  constructor(child: ChildProcess) {
    this.#child = child;
    let resolve!: (handle: RuntimeApiListenerHandle) => void;
    let reject!: (err: Error) => void;
    this.runtimeApiListener = new Promise((res, rej) => ((resolve = res), (reject = rej)));
    this.runtimeApiListener.catch(() => undefined); // a sandbox that never got this far reports its own failure
    child.on('message', (message: Serializable, handle: unknown) => {
      if (isRuntimeApiHandover(message) && isHandle(handle)) {
        if (this.#listener || this.#closed) return handle.close();
        this.#listener = handle;
        resolve(handle);
      } else if (isExitReport(message)) {
        for (const listener of this.#exitListeners) listener(message.exit);
      }
    });
    child.once('disconnect', () => {
      this.#closed = true;
      reject(new Error('the sandbox supervisor ended before handing over its Runtime API listener'));
    });
    child.on('error', () => undefined); // a failed send to an ended supervisor; the sandbox's end is reported elsewhere
  }

  get closed(): boolean {
    return this.#closed || !this.#child.connected;
  }

  /** The Runtime API listener, for the one caller that takes it over (and closes it). */
  takeRuntimeApiListener(): Promise<RuntimeApiListenerHandle> {
    if (this.#listenerTaken) return Promise.reject(new Error('the Runtime API listener was taken already'));
    this.#listenerTaken = true;
    return this.runtimeApiListener;
  }

  send(command: 'kill' | 'start'): void {
    if (!this.closed) this.#child.send(command, () => undefined);
  }

  onExit(listener: (status: number) => void): void {
    this.#exitListeners.push(listener);
  }

  /** Ends the channel; a listener handed over and never taken is closed. */
  close(): void {
    this.#closed = true;
    if (!this.#listenerTaken) this.#listener?.close();
    if (this.#child.connected) this.#child.disconnect();
  }
}

function isRuntimeApiHandover(message: Serializable): boolean {
  return typeof message === 'object' && message !== null && typeof (message as { runtimeApi?: unknown }).runtimeApi === 'string';
}

function isExitReport(message: Serializable): message is { exit: number } {
  return typeof message === 'object' && message !== null && Number.isInteger((message as { exit?: unknown }).exit);
}

function isHandle(handle: unknown): handle is RuntimeApiListenerHandle {
  return typeof handle === 'object' && handle !== null && typeof (handle as { close?: unknown }).close === 'function';
}
