/**
 * Moves versions out of their transient states (Pending, InProgress) shortly
 * after a write, the way Lambda finishes creating or updating a function. The
 * transition itself is `settle` in function-state.ts; this class only times it,
 * applies it through the function store, logs it, and on start settles whatever a
 * previous process left transient.
 */
import type { Logger } from '../shared/index.ts';
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
}

export class FunctionSettler {
  readonly #deps: FunctionSettlerDeps;
  readonly #timers = new Map<string, NodeJS.Timeout>();

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

  /** Applies the settle transition now. A deleted or already settled version is left alone. */
  async settleNow(name: string, version: string): Promise<void> {
    try {
      let from: string | undefined;
      const result = await this.#deps.functions.updateVersion(name, version, (current) => {
        from = lifecycleOf(current);
        return settle(current, this.#deps.newRevisionId());
      });
      if (result !== undefined && from !== 'ready') {
        this.#deps.logger.info({ functionName: name, version, from, to: lifecycleOf(result) }, 'function version settled');
        await this.#deps.onSettled?.(name, version);
      }
    } catch (err) {
      this.#deps.logger.error({ err, functionName: name, version }, 'could not settle function version');
    }
  }

  /** Settles every version a previous process left transient. */
  async recover(): Promise<void> {
    for (const { name, version } of await this.#deps.functions.unsettledVersions()) await this.settleNow(name, version);
  }

  /** Cancels pending timers (their versions are settled by `recover` on the next start). */
  stop(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
