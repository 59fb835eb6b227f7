import type { FunctionVersionConfig, HostSandbox, InitializationType, InvocationOutcome, InvocationRequest, SandboxCredentials, WorkerHostPort } from '../model/index.ts';
import { PlatformFault } from '../model/index.ts';
import { headerValue, PeerHttp, type PeerResponse } from '../shared/index.ts';
import { HOST_PATHS, INVOKE_HEADERS, type CreateSandboxRequest, type CreateSandboxResponse } from './wire.ts';

export interface RemoteWorkerHostOptions {
  readonly id: string;
  /** Base URL of the host API. */
  readonly endpoint: string;
  /** Bearer key of this registration. */
  readonly apiKey: string;
  /** Base URL of this front end, from which the host fetches code. */
  readonly codeFrom: () => string;
  /** Longest wait for a new sandbox (code fetch, pool, init). */
  readonly createTimeoutMs: number;
  /** Added to a function's timeout: the longest an invoke waits for an answer from the host. */
  readonly invokeMarginMs: number;
  /** The clock heartbeat times are written with. */
  readonly now: () => number;
}

/** Thrown (inside a PlatformFault) for a call the worker host did not answer. */
export class HostUnreachable extends Error {
  constructor(hostId: string, what: string, cause: unknown) {
    super(`worker host ${hostId}: ${what}: ${cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause)}`, { cause });
    this.name = 'HostUnreachable';
  }
}

/**
 * A worker host in another process, reached over its host API: implements the host protocol
 * (`WorkerHostPort`) for placement and the worker manager. A host that fails (connection refused or
 * reset, no answer within the function's timeout plus a margin, or declared silent by the host
 * directory through `lose`) fails the invokes in flight on it with a PlatformFault (Lambda's
 * ServiceException, 500) and all its sandboxes become dead.
 */
export class RemoteWorkerHost implements WorkerHostPort {
  readonly id: string;
  readonly #o: RemoteWorkerHostOptions;
  readonly #sandboxes = new Set<RemoteSandbox>();
  /** Aborts every call in flight when the host is lost. */
  readonly #lost = new AbortController();
  /** Keep-alive connections to the host API (raw bodies, no timeout but each call's). */
  readonly #http: PeerHttp;
  #startingMb = 0;
  /** When a call last failed to reach the host (refused, reset, no answer): it takes no placements until it heartbeats again. */
  #unreachableSinceMs: number | undefined;

  constructor(options: RemoteWorkerHostOptions) {
    this.#o = options;
    this.id = options.id;
    this.#http = new PeerHttp(options.endpoint);
  }

  get lost(): boolean {
    return this.#lost.signal.aborted;
  }

  /** Whether the host may take placements given its last heartbeat: not lost, and no failed call since that heartbeat. */
  reachable(lastHeartbeatMs: number): boolean {
    return !this.lost && (this.#unreachableSinceMs === undefined || lastHeartbeatMs > this.#unreachableSinceMs);
  }

  async createSandbox(version: FunctionVersionConfig, initType: InitializationType, credentials?: SandboxCredentials): Promise<HostSandbox> {
    this.#startingMb += version.memorySizeMb;
    try {
      const body: CreateSandboxRequest = { version, initType, codeFrom: this.#o.codeFrom(), credentials };
      const res = await this.call('create a sandbox', HOST_PATHS.sandboxes, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        timeoutMs: this.#o.createTimeoutMs,
      });
      if (res.status !== 200) throw new PlatformFault(new Error(`worker host ${this.id} refused a sandbox: ${res.status} ${res.body.toString('utf8', 0, 500)}`));
      const created = JSON.parse(res.body.toString('utf8')) as CreateSandboxResponse;
      const sandbox = new RemoteSandbox(this, created, version);
      if (this.lost) sandbox.markDead();
      else this.#sandboxes.add(sandbox);
      return sandbox;
    } finally {
      this.#startingMb -= version.memorySizeMb;
    }
  }

  /** The host is gone (silent, removed, re-registered): calls in flight fail now, its sandboxes are dead. */
  lose(reason: string): void {
    if (this.lost) return;
    this.#lost.abort(new Error(reason));
    for (const s of this.#sandboxes) s.markDead();
    this.#sandboxes.clear();
    this.#http.close();
  }

  /** The host drains: its idle sandboxes take no more invokes (the worker manager forgets them); busy ones finish. */
  retireIdle(): void {
    for (const s of this.#sandboxes) if (!s.busy) s.markDead();
  }

  /** Memory of this front end's sandboxes on the host (starting ones included), and how many run `functionName`. */
  usage(functionName: string): { readonly memoryInUseMb: number; readonly sandboxesOfFunction: number } {
    let memoryInUseMb = this.#startingMb;
    let sandboxesOfFunction = 0;
    for (const s of this.#sandboxes) {
      memoryInUseMb += s.memoryMb;
      if (s.functionName === functionName) sandboxesOfFunction++;
    }
    return { memoryInUseMb, sandboxesOfFunction };
  }

  forget(sandbox: RemoteSandbox): void {
    this.#sandboxes.delete(sandbox);
  }

  /** One authenticated call to the host API; network failures and timeouts reject with HostUnreachable. */
  async call(what: string, path: string, init: { method: string; headers?: Record<string, string>; body?: string | Buffer; timeoutMs: number }): Promise<PeerResponse> {
    try {
      return await this.#http.call({
        method: init.method,
        path,
        headers: { authorization: `Bearer ${this.#o.apiKey}`, ...init.headers },
        body: init.body,
        timeoutMs: init.timeoutMs,
        signal: this.#lost.signal,
      });
    } catch (err) {
      // Most likely the host died (kill -9, crash): stop placing on it and give up its sandboxes now rather
      // than at the heartbeat timeout. A host that was only slow heartbeats again and takes placements again.
      this.#unreachableSinceMs = this.#o.now();
      for (const s of this.#sandboxes) s.markDead();
      throw new PlatformFault(new HostUnreachable(this.id, what, err));
    }
  }

  invokeTimeoutMs(version: FunctionVersionConfig): number {
    return version.timeoutSec * 1000 + this.#o.invokeMarginMs;
  }
}

/** A sandbox on a remote worker host. */
class RemoteSandbox implements HostSandbox {
  readonly id: string;
  readonly hostId: string;
  readonly memoryMb: number;
  readonly initError: string | undefined;
  readonly functionName: string;
  readonly #host: RemoteWorkerHost;
  readonly #version: FunctionVersionConfig;
  #alive: boolean;
  #destroyed = false;
  busy = false;

  constructor(host: RemoteWorkerHost, created: CreateSandboxResponse, version: FunctionVersionConfig) {
    this.#host = host;
    this.id = created.id;
    this.hostId = host.id;
    this.memoryMb = version.memorySizeMb;
    this.functionName = version.functionName;
    this.initError = created.initError;
    this.#alive = created.alive;
    this.#version = version;
  }

  get alive(): boolean {
    return this.#alive;
  }

  markDead(): void {
    this.#alive = false;
  }

  async invoke(request: InvocationRequest): Promise<InvocationOutcome> {
    const headers: Record<string, string> = {
      'content-type': 'application/octet-stream',
      [INVOKE_HEADERS.requestId]: request.requestId,
      [INVOKE_HEADERS.invokedFunctionArn]: request.invokedFunctionArn,
      [INVOKE_HEADERS.tailLog]: String(request.tailLog),
    };
    if (request.clientContext !== undefined) headers[INVOKE_HEADERS.clientContext] = Buffer.from(request.clientContext, 'utf8').toString('base64');
    this.busy = true;
    try {
      const res = await this.#host.call('invoke', HOST_PATHS.invoke(this.id), {
        method: 'POST',
        headers,
        body: request.payload,
        timeoutMs: this.#host.invokeTimeoutMs(this.#version),
      });
      const payload = res.body;
      if (res.status !== 200) throw new PlatformFault(new Error(`worker host ${this.hostId} failed an invoke: ${res.status} ${payload.toString('utf8', 0, 200)}`));
      const h = (name: string) => headerValue(res.headers, name);
      this.#alive = this.#alive && h(INVOKE_HEADERS.alive) === 'true';
      const initDuration = h(INVOKE_HEADERS.initDurationMs);
      return {
        payload,
        contentType: h(INVOKE_HEADERS.contentType),
        functionError: h(INVOKE_HEADERS.functionError) === 'Unhandled' ? 'Unhandled' : undefined,
        errorType: h(INVOKE_HEADERS.errorType),
        logResult: h(INVOKE_HEADERS.logResult),
        durationMs: Number(h(INVOKE_HEADERS.durationMs) ?? 0),
        initDurationMs: initDuration === undefined ? undefined : Number(initDuration),
      };
    } catch (err) {
      this.#alive = false;
      throw err;
    } finally {
      this.busy = false;
    }
  }

  async destroy(reason: string): Promise<void> {
    this.#alive = false;
    this.#host.forget(this);
    if (this.#destroyed || this.#host.lost) return;
    this.#destroyed = true;
    await this.#host
      .call('destroy', `${HOST_PATHS.sandbox(this.id)}?reason=${encodeURIComponent(reason)}`, { method: 'DELETE', timeoutMs: 10_000 })
      .then(() => undefined)
      .catch(() => undefined); // a host that is gone has no sandbox left to destroy
  }
}
