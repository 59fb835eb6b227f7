/**
 * Change notifications of the control plane, for the data plane and for the
 * control plane's own caches.
 *
 * - `onFunctionChanged` (public): `$LATEST`'s code or configuration changed, a
 *   published version was deleted, or the whole function was deleted. The worker
 *   manager retires the function's idle sandboxes on each.
 * - `onTouched` (internal): anything stored about a function changed (versions,
 *   their states, aliases); caches of resolved functions drop that function.
 *
 * Listeners run synchronously after the write has committed; a listener that
 * throws is logged and never fails the write.
 */
import type { Logger } from '../shared/index.ts';

export type FunctionChangeKind = 'latest-updated' | 'version-deleted' | 'function-deleted';

export interface FunctionChange {
  readonly functionName: string;
  readonly kind: FunctionChangeKind;
  /** `$LATEST` or the deleted version number; undefined when the whole function was deleted. */
  readonly version: string | undefined;
}

export type FunctionChangeListener = (change: FunctionChange) => void;

export class FunctionChanges {
  readonly #logger: Logger;
  readonly #listeners = new Set<FunctionChangeListener>();
  readonly #touchListeners = new Set<(functionName: string) => void>();

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Subscribes to public change events. Returns the unsubscribe function. */
  onFunctionChanged(listener: FunctionChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Subscribes to every write concerning a function (cache invalidation). */
  onTouched(listener: (functionName: string) => void): () => void {
    this.#touchListeners.add(listener);
    return () => this.#touchListeners.delete(listener);
  }

  /** Something stored about the function changed. */
  touched(functionName: string): void {
    for (const listener of this.#touchListeners) this.#call(() => listener(functionName), functionName);
  }

  /** A public change (implies `touched`). */
  changed(change: FunctionChange): void {
    this.touched(change.functionName);
    this.#logger.debug({ ...change }, 'function changed');
    for (const listener of this.#listeners) this.#call(() => listener(change), change.functionName);
  }

  #call(fn: () => void, functionName: string): void {
    try {
      fn();
    } catch (err) {
      this.#logger.error({ err, functionName }, 'function change listener failed');
    }
  }
}
