/**
 * Moves versions out of their transient states (Pending, InProgress) shortly
 * after a write, the way Lambda finishes creating or updating a function. The
 * transition itself is `settle` in function-state.ts; this class only times it,
 * applies it through the function store, logs it, on start settles whatever a
 * previous process left transient, and then sweeps every second for versions
 * transient for longer than the delay (the front end that wrote them died before
 * its timer fired). Settling is idempotent: the store applies it under a row
 * lock, and settling a settled version writes nothing, so front ends may sweep at once.
 */
import { systemClock, type Clock, type Logger } from '../shared/index.ts';
import type { FunctionStore } from '../storage/index.ts';
import { lifecycleOf, settle } from './function-state.ts';

export interface FunctionSettlerDeps {
  readonly functions: FunctionStore;
  readonly newRevisionId: () => string;
  readonly logger: Logger;
  /** How long a version stays Pending / InProgress after a write. */
  readonly settleDelayMs: number;
  /** Told after a version settled (its stored config changed). */
  readonly onSettled?: (functionName: string, version: string) => Promise<void>;
  /** The clock of the versions' LastModified (default the system's). */
  readonly clock?: Clock;
  /** How often `startSweeping` looks for versions left transient (default 1 s). */
  readonly sweepEveryMs?: number;
}

const DEFAULT_SWEEP_EVERY_MS = 1_000;

export class FunctionSettler {
  readonly #deps: FunctionSettlerDeps;
  readonly #timers = new Map<string, NodeJS.Timeout>();
  #sweeper: NodeJS.Timeout | undefined;
  #sweeping = false;

  constructor(deps: FunctionSettlerDeps) {
    this.#deps = deps;
  }

  /** Settles the version after the delay (a later write to the same version restarts the delay). */
  schedule(name: string, version: string): void {
    const key = `${name}\u0000${version}`;
    clearTimeout(this.#timers.get(key));
    const timer = setTimeout(() => {
      this.#timers.delete(key);
      void this.settleNow(name, version);
    }, this.#deps.settleDelayMs);
    timer.unref();
    this.#timers.set(key, timer);
  }

  /**
   * Applies the settle transition now. A deleted or already settled version is left alone, and so
   * is one last modified after `modifiedBeforeMs` when given (written again since it was found transient).
   */
  async settleNow(name: string, version: string, modifiedBeforeMs?: number): Promise<void> {
    try {
      let from: string | undefined;
      const result = await this.#deps.functions.updateVersion(name, version, (current) => {
        from = lifecycleOf(current);
        if (modifiedBeforeMs !== undefined && current.lastModifiedMs > modifiedBeforeMs) return current;
        return settle(current, this.#deps.newRevisionId());
      });
      if (result !== undefined && from !== 'ready' && lifecycleOf(result) === 'ready') {
        this.#deps.logger.info({ functionName: name, version, from, to: lifecycleOf(result) }, 'function version settled');
        await this.#deps.onSettled?.(name, version);
      }
    } catch (err) {
      this.#deps.logger.error({ err, functionName: name, version }, 'could not settle function version');
    }
  }

  /**
   * Settles the versions left transient: at start every one (a previous process left them), or
   * with `minAgeMs` only those last modified at least that long ago (their writer's timer should
   * have fired: it died).
   */
  async recover(minAgeMs = 0): Promise<void> {
    const before = (this.#deps.clock ?? systemClock).now() - minAgeMs;
    for (const { name, version, lastModifiedMs } of await this.#deps.functions.unsettledVersions()) {
      if (lastModifiedMs <= before) await this.settleNow(name, version, before);
    }
  }

  /** Settles, every second, the versions transient for longer than the delay. */
  startSweeping(): void {
    if (this.#sweeper !== undefined) return;
    this.#sweeper = setInterval(() => void this.#sweep(), this.#deps.sweepEveryMs ?? DEFAULT_SWEEP_EVERY_MS);
    this.#sweeper.unref();
  }

  /** Cancels pending timers and the sweeps (their versions are settled by `recover` on the next start, or by another front end's sweep). */
  stop(): void {
    clearInterval(this.#sweeper);
    this.#sweeper = undefined;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  async #sweep(): Promise<void> {
    if (this.#sweeping) return;
    this.#sweeping = true;
    try {
      await this.recover(this.#deps.settleDelayMs);
    } catch (err) {
      this.#deps.logger.error({ err }, 'could not look for versions left transient');
    } finally {
      this.#sweeping = false;
    }
  }
}
