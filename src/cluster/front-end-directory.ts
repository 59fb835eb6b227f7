/**
 * The live front ends of the cluster, as every front end sees them: each announces itself in
 * the shared store every `announceMs` and reads the others back; one whose last announcement
 * is older than `liveMs` is gone (it died, or cannot reach the database). This front end is
 * always in its own list, so a front end that loses the database goes on serving alone.
 */
import type { Clock, Logger } from '../shared/index.ts';
import type { FrontEndRecord, FrontEndStore } from '../storage/index.ts';

export interface FrontEndDirectoryDeps {
  readonly store: FrontEndStore;
  readonly self: { readonly id: string; readonly endpoint: string };
  readonly clock: Clock;
  readonly logger: Logger;
  readonly announceMs?: number;
  readonly liveMs?: number;
}

/** The front ends whose last announcement is recent enough, `self` always among them, by id. */
export function liveFrontEnds(rows: readonly FrontEndRecord[], self: FrontEndRecord, nowMs: number, liveMs: number): FrontEndRecord[] {
  const live = rows.filter((r) => r.id !== self.id && nowMs - r.heartbeatMs <= liveMs);
  return [...live, self].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export class FrontEndDirectory {
  readonly #deps: FrontEndDirectoryDeps;
  readonly #announceMs: number;
  readonly #liveMs: number;
  readonly #startedMs: number;
  #rows: readonly FrontEndRecord[] = [];
  /** The ids of the live front ends at the last tick, joined (to tell listeners only of changes). */
  #membership = '';
  readonly #listeners = new Set<() => void>();
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;

  constructor(deps: FrontEndDirectoryDeps) {
    this.#deps = deps;
    this.#announceMs = deps.announceMs ?? 1000;
    this.#liveMs = deps.liveMs ?? 3000;
    this.#startedMs = deps.clock.now();
  }

  /** Announces this front end and reads the others, then keeps doing so. */
  async start(): Promise<void> {
    await this.tick();
    this.#timer = setInterval(() => void this.tick(), this.#announceMs);
    this.#timer.unref();
  }

  /** Stops announcing and leaves the list at once (the others stop routing here). */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#ticking;
    await this.#deps.store.remove(this.#deps.self.id).catch((err: unknown) => this.#deps.logger.warn({ err }, 'could not leave the front-end list'));
  }

  /** The live front ends, this one included, by id. */
  live(): FrontEndRecord[] {
    return liveFrontEnds(this.#rows, this.#self(this.#deps.clock.now()), this.#deps.clock.now(), this.#liveMs);
  }

  /** Called after a tick that changed who is live (one joined, left or went silent). Returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** One announcement and read (resolves when both answered or failed). */
  tick(): Promise<void> {
    this.#ticking ??= this.#tick().finally(() => (this.#ticking = undefined));
    return this.#ticking;
  }

  async #tick(): Promise<void> {
    try {
      await this.#deps.store.announce(this.#self(this.#deps.clock.now()));
      this.#rows = await this.#deps.store.list();
    } catch (err) {
      this.#deps.logger.warn({ err }, 'could not reach the front-end list');
    }
    const membership = this.live().map((f) => f.id).join(' ');
    if (membership === this.#membership) return;
    this.#membership = membership;
    this.#deps.logger.info({ frontEnds: membership.split(' ') }, 'live front ends changed');
    for (const listener of this.#listeners) listener();
  }

  #self(nowMs: number): FrontEndRecord {
    return { ...this.#deps.self, startedMs: this.#startedMs, heartbeatMs: nowMs };
  }
}
