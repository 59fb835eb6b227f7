import type { ChangeFeed, ConfigChange } from '../ports.ts';

/**
 * The change feed of a storage only this process uses: `publish` calls every subscriber at once,
 * in subscription order. A subscriber that throws is skipped (callers wrap theirs to log); it
 * never fails the publish nor keeps the others from hearing it.
 */
export class InProcessChangeFeed implements ChangeFeed {
  readonly #listeners = new Set<(change: ConfigChange) => void>();

  publish(change: ConfigChange): Promise<void> {
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch {
        // the subscriber's own business: see the class comment
      }
    }
    return Promise.resolve();
  }

  subscribe(listener: (change: ConfigChange) => void): () => void {
    const entry = (change: ConfigChange): void => listener(change);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }
}
