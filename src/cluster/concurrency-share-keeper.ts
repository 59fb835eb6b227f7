/**
 * Holds this front end's share of the account's unreserved concurrency in the shared store
 * (ConcurrencyShareStore), so that all front ends together never run more than the account
 * allows. The share follows demand: it is renewed every `renewMs` at one and a half times the
 * recent peak plus a floor, and asked for again at once when an invoke finds it full. A front
 * end that dies stops renewing; its share lapses after `ttlMs` and the others may take it.
 */
import type { Clock, Logger } from '../shared/index.ts';
import type { ConcurrencyShareStore } from '../storage/index.ts';

export interface ShareKeeperDeps {
  readonly store: ConcurrencyShareStore;
  /** This front end's id. */
  readonly holder: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The account's unreserved pool now (account limit less every function's share). */
  readonly pool: () => number;
  /** Executions this front end runs in the unreserved pool now. */
  readonly inUse: () => number;
  readonly renewMs?: number;
  readonly ttlMs?: number;
  /** Kept even when idle, so the first invokes after a quiet spell need not wait for a claim. */
  readonly floor?: number;
}

/** The share to ask for: enough for one and a half times the recent peak plus the floor, within the pool. */
export function shareWanted(peakInUse: number, floor: number, pool: number): number {
  return Math.max(0, Math.min(pool, Math.ceil(peakInUse * 1.5) + floor));
}

export class ConcurrencyShareKeeper {
  readonly #deps: ShareKeeperDeps;
  readonly #renewMs: number;
  readonly #ttlMs: number;
  readonly #floor: number;
  #granted = 0;
  /** When the grant lapses in the store unless renewed: past it this front end holds nothing. */
  #expiresMs = 0;
  #peak = 0;
  #claiming: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(deps: ShareKeeperDeps) {
    this.#deps = deps;
    this.#renewMs = deps.renewMs ?? 1000;
    this.#ttlMs = deps.ttlMs ?? 5000;
    this.#floor = deps.floor ?? 10;
  }

  /** Executions this front end may run in the unreserved pool now. */
  current(): number {
    return this.#deps.clock.now() < this.#expiresMs ? this.#granted : 0;
  }

  /** An invoke found the share full: ask for more now (one claim at a time). */
  exhausted(): void {
    this.#peak = Math.max(this.#peak, this.#granted + 1);
    void this.claim();
  }

  /** Takes the first share, then renews it every `renewMs`. */
  async start(): Promise<void> {
    await this.claim();
    this.#timer = setInterval(() => void this.claim(), this.#renewMs);
    this.#timer.unref();
  }

  /** Stops renewing and gives the share back. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#claiming;
    this.#granted = 0;
    this.#expiresMs = 0;
    await this.#deps.store.release(this.#deps.holder).catch((err: unknown) => this.#deps.logger.warn({ err }, 'could not release the concurrency share'));
  }

  /** Renews the share at what recent demand wants (resolves when the store answered). */
  claim(): Promise<void> {
    this.#claiming ??= this.#claim().finally(() => (this.#claiming = undefined));
    return this.#claiming;
  }

  async #claim(): Promise<void> {
    const inUse = this.#deps.inUse();
    const pool = this.#deps.pool();
    const want = shareWanted(Math.max(this.#peak, inUse), this.#floor, pool);
    const askedMs = this.#deps.clock.now();
    try {
      this.#granted = await this.#deps.store.claim(this.#deps.holder, want, pool, askedMs, this.#ttlMs);
      this.#expiresMs = askedMs + this.#ttlMs;
      this.#peak = inUse;
    } catch (err) {
      // The last grant stands until it lapses in the store too (current() then answers 0): never run on a share others may hold.
      this.#deps.logger.warn({ err }, 'could not renew the concurrency share');
    }
  }
}
