import type { Logger } from '../shared/index.ts';
import { HEARTBEAT_INTERVAL_MS } from './host-health.ts';
import { CLUSTER_PATHS, HOST_ID_HEADER, type HeartbeatRequest, type HeartbeatResponse, type LogShipment, type RegisterRequest, type RegisterResponse } from './wire.ts';

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
  /** How long a call waits for a front end that is not the last one left to try (default 5 s; heartbeats: 1.5 s). */
  readonly callTimeoutMs?: number;
  readonly heartbeatTimeoutMs?: number;
}

const CALL_TIMEOUT_MS = 5_000;
/** A heartbeat gives up on a front end after this, and tries the next one, well before its host counts as silent (3 s). */
const HEARTBEAT_TIMEOUT_MS = 1_500;
const CODE_TIMEOUT_MS = 120_000;

interface Exchange {
  readonly path: string;
  readonly method: string;
  readonly body?: string;
  /** Bearer token: this host's key unless given (registration sends the join token). */
  readonly bearer?: string;
  readonly timeoutMs: number;
  /** Tried first (a package's origin); then the current front end, the others and `--join`. */
  readonly first?: string;
}

/**
 * A worker host's side of membership: registers with the front end (join token), heartbeats
 * every second with its usage, registers again clean when the front end has forgotten it,
 * and announces draining and leaving.
 *
 * Any front end of the cluster serves a host (the host row is in the shared store): each heartbeat
 * answer lists the live front ends, and a call whose front end does not answer (refused, reset,
 * timed out) goes to the next one, which then stays the current front end. So a host outlives the
 * front end it joined.
 */
export class WorkerAgent {
  readonly #o: WorkerAgentOptions;
  #key: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  /** The front end this host talks to, and the live ones the last heartbeat answer named. */
  #current: string;
  #frontEnds: readonly string[];

  constructor(options: WorkerAgentOptions) {
    this.#o = options;
    this.#current = options.join;
    this.#frontEnds = [options.join];
  }

  /** The key of the current registration (front ends present it; this host presents it back). */
  get key(): string | undefined {
    return this.#key;
  }

  /** The front end this host talks to now. */
  get current(): string {
    return this.#current;
  }

  /** The live front ends as the last heartbeat answer listed them. */
  get frontEnds(): readonly string[] {
    return this.#frontEnds;
  }

  /** Registers; rejects with JoinRefused when the token is refused, with the network error when no front end is reachable. */
  async register(): Promise<RegisterResponse> {
    const exchange = { path: CLUSTER_PATHS.hosts, method: 'POST', body: JSON.stringify(this.#o.registration), bearer: this.#o.token, timeoutMs: this.#callTimeout() };
    const answer = await this.#exchange(exchange, async (res, frontEnd) => {
      const text = await res.text();
      if (res.status === 403) throw new JoinRefused(frontEnd, messageOf(text));
      if (res.status !== 201) throw new Error(`registration with ${frontEnd} failed: ${res.status} ${messageOf(text)}`);
      return JSON.parse(text) as RegisterResponse;
    });
    this.#key = answer.apiKey;
    return answer;
  }

  /** Heartbeats every second until stopped. */
  start(): void {
    const beat = async (): Promise<void> => {
      try {
        await this.heartbeat();
      } catch (err) {
        this.#o.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'heartbeat failed');
      }
      if (!this.#stopped) this.#timer = setTimeout(() => void beat(), HEARTBEAT_INTERVAL_MS);
    };
    this.#timer = setTimeout(() => void beat(), HEARTBEAT_INTERVAL_MS);
  }

  /** One heartbeat (registering again first when this host has no registration). */
  async heartbeat(): Promise<void> {
    if (this.#key === undefined) {
      await this.register();
      this.#o.logger.info({ frontEnd: this.#current }, 'registered again');
      return;
    }
    const exchange = { path: CLUSTER_PATHS.heartbeat(this.#o.registration.hostId), method: 'POST', body: JSON.stringify(this.#o.usage()), timeoutMs: this.#o.heartbeatTimeoutMs ?? HEARTBEAT_TIMEOUT_MS };
    const answer = await this.#exchange(exchange, async (res, frontEnd) => {
      const text = await res.text();
      if (res.status === 404) return 'forgotten' as const;
      if (res.status !== 200) throw new Error(`heartbeat to ${frontEnd} answered ${res.status} ${messageOf(text)}`);
      return JSON.parse(text) as HeartbeatResponse;
    });
    if (answer === 'forgotten') {
      this.#o.logger.warn({ frontEnd: this.#current }, 'the front end does not know this host any more: dropping every sandbox and registering again');
      this.#key = undefined;
      await this.#o.onForgotten();
      await this.register();
      return;
    }
    this.#learn(answer.frontEnds);
    if (answer.drain) this.#o.onDrainRequested();
  }

  /** Tells the front end this host takes no new placements. */
  async announceDraining(): Promise<void> {
    await this.#exchange({ path: CLUSTER_PATHS.drain(this.#o.registration.hostId), method: 'POST', timeoutMs: this.#callTimeout() }, discard);
  }

  /** Removes this host from the cluster and stops heartbeating. */
  async leave(): Promise<void> {
    this.stop();
    if (this.#key === undefined) return;
    await this.#exchange({ path: CLUSTER_PATHS.host(this.#o.registration.hostId), method: 'DELETE', timeoutMs: this.#callTimeout() }, discard);
    this.#key = undefined;
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  /** Fetches a package with this host's key from `frontEnd` (where it was placed from), or from another front end when that one is gone (all share the code). */
  async fetchPackage(frontEnd: string, sha256Hex: string): Promise<Buffer> {
    return this.#exchange({ path: CLUSTER_PATHS.code(sha256Hex), method: 'GET', timeoutMs: CODE_TIMEOUT_MS, first: frontEnd }, async (res, from) => {
      if (res.status !== 200) throw new Error(`${from} answered ${res.status} for package ${sha256Hex}: ${messageOf(await res.text())}`);
      return Buffer.from(await res.arrayBuffer());
    });
  }

  /**
   * Ships log lines to `frontEnd` (the one that placed their sandbox), or to another live front end
   * when that one does not answer (all share the log store); resolves once one has stored them.
   */
  async shipLogs(frontEnd: string | undefined, shipment: LogShipment): Promise<void> {
    const exchange = { path: CLUSTER_PATHS.logs, method: 'POST', body: JSON.stringify(shipment), timeoutMs: this.#callTimeout(), ...(frontEnd === undefined ? {} : { first: frontEnd }) };
    await this.#exchange(exchange, async (res, from) => {
      const text = await res.text();
      if (res.status !== 204) throw new Error(`${from} answered ${res.status} to a log shipment: ${messageOf(text)}`);
    });
  }

  #callTimeout(): number {
    return this.#o.callTimeoutMs ?? CALL_TIMEOUT_MS;
  }

  /**
   * Keeps the live front ends a heartbeat answer listed (an older front end lists none: the list
   * stays). An endpoint on an unspecified address (a front end listening on 0.0.0.0) names no
   * machine this host could reach: it is left out.
   */
  #learn(listed: readonly string[] | undefined): void {
    if (!Array.isArray(listed)) return;
    const valid = listed.filter((u): u is string => typeof u === 'string' && reachableUrl(u)).map((u) => u.replace(/\/+$/, ''));
    if (valid.length > 0) this.#frontEnds = valid;
  }

  /**
   * One call, to the first front end that answers: `first` if given, the current one, the listed ones,
   * then `--join`. A front end that does not answer (connection refused or reset, timeout) or answers
   * 503 (it is shutting down) is skipped; the last one left gets the full call timeout. `read` runs on the answer (its network failures
   * also move on; anything else it throws is the call's error). The front end that answered becomes
   * the current one, unless it was `first`.
   */
  async #exchange<T>(e: Exchange, read: (res: Response, frontEnd: string) => Promise<T>): Promise<T> {
    const candidates = [...new Set([...(e.first === undefined ? [] : [e.first]), this.#current, ...this.#frontEnds, this.#o.join])];
    let failure: unknown;
    for (const [i, frontEnd] of candidates.entries()) {
      const last = i === candidates.length - 1;
      const headers: Record<string, string> = { authorization: `Bearer ${e.bearer ?? this.#key ?? ''}`, [HOST_ID_HEADER]: this.#o.registration.hostId };
      if (e.body !== undefined) headers['content-type'] = 'application/json';
      const timeoutMs = last ? Math.max(e.timeoutMs, this.#callTimeout()) : e.timeoutMs;
      try {
        const res = await fetch(`${frontEnd}${e.path}`, { method: e.method, headers, body: e.body, signal: AbortSignal.timeout(timeoutMs) });
        if (res.status === 503 && !last) {
          await res.body?.cancel();
          failure = new Error(`${frontEnd} answered 503`);
          this.#o.logger.warn({ frontEnd, next: candidates[i + 1] }, 'front end unavailable (shutting down)');
          continue;
        }
        const value = await read(res, frontEnd);
        // a call aimed at a given front end (a package's origin, a sandbox's placer) that it answered moves nothing
        if (frontEnd !== this.#current && frontEnd !== e.first) {
          this.#o.logger.info({ from: this.#current, to: frontEnd }, 'talking to another front end');
          this.#current = frontEnd;
        }
        return value;
      } catch (err) {
        if (!unreachable(err)) throw err;
        failure = err;
        this.#o.logger.warn({ frontEnd, err: describe(err), next: last ? undefined : candidates[i + 1] }, 'front end did not answer');
      }
    }
    throw failure instanceof Error ? failure : new Error(String(failure));
  }
}

function reachableUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '0.0.0.0' && u.hostname !== '[::]';
  } catch {
    return false;
  }
}

/** A network failure or timeout (fetch and body reads reject with a TypeError or a TimeoutError / AbortError). */
function unreachable(err: unknown): boolean {
  return err instanceof TypeError || (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'));
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error ? `${err.message}: ${cause.message}` : err.message;
}

async function discard(res: Response): Promise<void> {
  await res.body?.cancel();
}

function messageOf(text: string): string {
  try {
    return String((JSON.parse(text) as { message?: unknown }).message ?? text);
  } catch {
    return text;
  }
}
