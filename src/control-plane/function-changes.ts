/**
 * Change notifications of the control plane, for the data plane and for the
 * control plane's own caches, carried by the storage's ChangeFeed so that a
 * change made through any front end sharing the storage reaches every one of
 * them (their resolver caches, counting ledgers and worker managers).
 *
 * - `onFunctionChanged` (public): `$LATEST`'s code or configuration changed, a
 *   published version was deleted, or the whole function was deleted. The worker
 *   manager retires the function's idle sandboxes on each.
 * - `onTouched` (internal): anything stored about a function changed (versions,
 *   their states, aliases); caches of resolved functions drop that function.
 *
 * Writers publish after their write has committed (`touched`, `changed`); every
 * process hears the feed and runs its listeners (with the in-process feed of the
 * embedded database, before `touched` / `changed` resolve). A listener that
 * throws is logged and never fails the write, nor does a publish that fails.
 */
import type { Logger } from '../shared/index.ts';
import type { ChangeFeed, ConfigChange } from '../storage/index.ts';

export type FunctionChangeKind = 'latest-updated' | 'version-deleted' | 'function-deleted';

export interface FunctionChange {
  readonly functionName: string;
  readonly kind: FunctionChangeKind;
  /** `$LATEST` or the deleted version number; undefined when the whole function was deleted. */
  readonly version: string | undefined;
}

export type FunctionChangeListener = (change: FunctionChange) => void;

export class FunctionChanges {
  readonly #feed: ChangeFeed;
  readonly #logger: Logger;
  readonly #listeners = new Set<FunctionChangeListener>();
  readonly #touchListeners = new Set<(functionName: string) => void | Promise<void>>();
  /** Work of async touch listeners still running (a writer's publish waits for the work it caused here). */
  readonly #pending = new Set<Promise<void>>();
  readonly #unsubscribe: () => void;

  constructor(feed: ChangeFeed, logger: Logger) {
    this.#feed = feed;
    this.#logger = logger;
    this.#unsubscribe = feed.subscribe((change) => this.#heard(change));
  }

  /** Subscribes to public change events. Returns the unsubscribe function. */
  onFunctionChanged(listener: FunctionChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Subscribes to every write concerning a function (cache invalidation). A listener may be async:
   * a write published in this process resolves once the listeners it ran here have finished.
   */
  onTouched(listener: (functionName: string) => void | Promise<void>): () => void {
    this.#touchListeners.add(listener);
    return () => this.#touchListeners.delete(listener);
  }

  /** Something stored about the function changed (publish after the commit). */
  touched(functionName: string): Promise<void> {
    return this.#publish({ functionName, kind: 'touched' });
  }

  /** A public change (implies `touched`; publish after the commit). */
  changed(change: FunctionChange): Promise<void> {
    this.#logger.debug({ ...change }, 'function changed');
    return this.#publish({ functionName: change.functionName, kind: change.kind, version: change.version });
  }

  /** Stops hearing the feed. */
  stop(): void {
    this.#unsubscribe();
  }

  async #publish(change: ConfigChange): Promise<void> {
    try {
      await this.#feed.publish(change);
    } catch (err) {
      this.#logger.error({ err, functionName: change.functionName, kind: change.kind }, 'could not publish a function change');
    }
    if (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  #heard(change: ConfigChange): void {
    const name = change.functionName;
    for (const listener of this.#touchListeners) this.#call(() => listener(name), name);
    if (change.kind === 'touched') return;
    const publicChange: FunctionChange = { functionName: name, kind: change.kind, version: change.version };
    for (const listener of this.#listeners) this.#call(() => listener(publicChange), name);
  }

  #call(fn: () => void | Promise<void>, functionName: string): void {
    const failed = (err: unknown): void => this.#logger.error({ err, functionName }, 'function change listener failed');
    try {
      const work = fn();
      if (work === undefined) return;
      const tracked: Promise<void> = work.catch(failed).finally(() => this.#pending.delete(tracked));
      this.#pending.add(tracked);
    } catch (err) {
      failed(err);
    }
  }
}
