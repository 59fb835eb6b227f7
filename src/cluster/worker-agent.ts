import type { Logger } from '../shared/index.ts';
import { HEARTBEAT_INTERVAL_MS } from './host-health.ts';
import { CLUSTER_PATHS, HOST_ID_HEADER, type HeartbeatRequest, type HeartbeatResponse, type RegisterRequest, type RegisterResponse } from './wire.ts';

/** The front end refused the join token: the worker cannot join (it exits non-zero). */
export class JoinRefused extends Error {
  constructor(frontEnd: string, message: string) {
    super(`${frontEnd} refused to let this worker host join: ${message}`);
    this.name = 'JoinRefused';
  }
}

export interface WorkerAgentOptions {
  /** Base URL of the front end given by `--join`. */
  readonly join: string;
  readonly token: string;
  readonly registration: RegisterRequest;
  readonly usage: () => HeartbeatRequest;
  /** The front end no longer knows this host: drop every sandbox before registering again. */
  readonly onForgotten: () => Promise<void>;
  /** The front end asks this host to drain (its lease is over, or someone drained it). */
  readonly onDrainRequested: () => void;
  readonly logger: Logger;
}

const CALL_TIMEOUT_MS = 5_000;

/**
 * A worker host's side of membership: registers with the front end (join token), heartbeats
 * every second with its usage, registers again clean when the front end has forgotten it,
 * and announces draining and leaving.
 */
export class WorkerAgent {
  readonly #o: WorkerAgentOptions;
  #key: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: WorkerAgentOptions) {
    this.#o = options;
  }

  /** The key of the current registration (front ends present it; this host presents it back). */
  get key(): string | undefined {
    return this.#key;
  }

  /** Registers; rejects with JoinRefused when the token is refused, with the network error when the front end is unreachable. */
  async register(): Promise<RegisterResponse> {
    const res = await fetch(`${this.#o.join}${CLUSTER_PATHS.hosts}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.#o.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(this.#o.registration),
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
    const text = await res.text();
    if (res.status === 403) throw new JoinRefused(this.#o.join, messageOf(text));
    if (res.status !== 201) throw new Error(`registration with ${this.#o.join} failed: ${res.status} ${messageOf(text)}`);
    const answer = JSON.parse(text) as RegisterResponse;
    this.#key = answer.apiKey;
    return answer;
  }

  /** Heartbeats every second until stopped. */
  start(): void {
    const beat = async (): Promise<void> => {
      try {
        await this.#heartbeat();
      } catch (err) {
        this.#o.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'heartbeat failed');
      }
      if (!this.#stopped) this.#timer = setTimeout(() => void beat(), HEARTBEAT_INTERVAL_MS);
    };
    this.#timer = setTimeout(() => void beat(), HEARTBEAT_INTERVAL_MS);
  }

  async #heartbeat(): Promise<void> {
    if (this.#key === undefined) {
      await this.register();
      this.#o.logger.info({ frontEnd: this.#o.join }, 'registered again');
      return;
    }
    const res = await this.#call(CLUSTER_PATHS.heartbeat(this.#o.registration.hostId), 'POST', JSON.stringify(this.#o.usage()));
    const text = await res.text();
    if (res.status === 404) {
      this.#o.logger.warn({ frontEnd: this.#o.join }, 'the front end does not know this host any more: dropping every sandbox and registering again');
      this.#key = undefined;
      await this.#o.onForgotten();
      await this.register();
      return;
    }
    if (res.status !== 200) throw new Error(`heartbeat answered ${res.status} ${messageOf(text)}`);
    if ((JSON.parse(text) as HeartbeatResponse).drain) this.#o.onDrainRequested();
  }

  /** Tells the front end this host takes no new placements. */
  async announceDraining(): Promise<void> {
    await this.#call(CLUSTER_PATHS.drain(this.#o.registration.hostId), 'POST').then((r) => r.body?.cancel());
  }

  /** Removes this host from the cluster and stops heartbeating. */
  async leave(): Promise<void> {
    this.stop();
    if (this.#key === undefined) return;
    await this.#call(CLUSTER_PATHS.host(this.#o.registration.hostId), 'DELETE').then((r) => r.body?.cancel());
    this.#key = undefined;
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  /** Fetches a package from a front end with this host's key. */
  async fetchPackage(frontEnd: string, sha256Hex: string): Promise<Buffer> {
    const res = await this.#call(CLUSTER_PATHS.code(sha256Hex), 'GET', undefined, frontEnd, 120_000);
    if (res.status !== 200) throw new Error(`${frontEnd} answered ${res.status} for package ${sha256Hex}: ${messageOf(await res.text())}`);
    return Buffer.from(await res.arrayBuffer());
  }

  #call(path: string, method: string, body?: string, base = this.#o.join, timeoutMs = CALL_TIMEOUT_MS): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.#key ?? ''}`, [HOST_ID_HEADER]: this.#o.registration.hostId };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${base}${path}`, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
  }
}

function messageOf(text: string): string {
  try {
    return String((JSON.parse(text) as { message?: unknown }).message ?? text);
  } catch {
    return text;
  }
}
