/**
 * Group commit: every item handed over while a commit is running, or in the same turn of the
 * event loop, goes into one commit, and each caller's promise settles when the commit that holds
 * its item has. No timer: an item that arrives alone is committed at once; batches form exactly
 * when commits queue up, as under load. A failed commit rejects every caller of its batch.
 * Used for accepted async events (one transaction per batch, each 202 after its commit) and for
 * the host side of sandbox network slots (one `ip -batch` per batch).
 */
export type CommitBatch<T> = (items: readonly T[]) => Promise<unknown>;

interface Waiting<T> {
  readonly item: T;
  resolve(): void;
  reject(err: unknown): void;
}

export class GroupCommit<T> {
  readonly #commit: CommitBatch<T>;
  readonly #maxBatch: number;
  #waiting: Array<Waiting<T>> = [];
  /** A flush is scheduled or running: new items wait for it (or the one after it). */
  #busy = false;

  constructor(commit: CommitBatch<T>, options: { readonly maxBatch?: number } = {}) {
    this.#commit = commit;
    this.#maxBatch = options.maxBatch ?? 1000;
  }

  /** Resolves once `item` is committed; rejects with the commit's error. */
  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject });
      if (!this.#busy) {
        this.#busy = true;
        setImmediate(() => void this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    while (this.#waiting.length > 0) {
      const batch = this.#waiting.splice(0, this.#maxBatch);
      try {
        await this.#commit(batch.map((w) => w.item));
        for (const w of batch) w.resolve();
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    this.#busy = false;
  }
}
