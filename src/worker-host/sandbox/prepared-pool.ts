/**
 * Resources kept prepared ahead of demand (network namespaces: preparing one takes
 * a few `ip` runs, which stay off the cold-start path). `target` are kept ready;
 * returned ones are kept too, up to twice `target` counting those still being
 * prepared, so that a burst of starts and destroys neither runs the pool dry nor
 * leaves it holding more than that once every preparation has finished.
 */
export interface PreparedPoolOptions<T> {
  /** Ready items to keep ahead of demand. */
  readonly target: number;
  readonly prepare: () => Promise<T>;
  readonly remove: (item: T) => Promise<void>;
  /** Told about a background preparation that failed. */
  readonly onError?: (err: unknown) => void;
}

export class PreparedPool<T> {
  readonly #options: PreparedPoolOptions<T>;
  readonly #ready: T[] = [];
  readonly #preparing = new Set<Promise<unknown>>();
  #closed = false;

  constructor(options: PreparedPoolOptions<T>) {
    this.#options = options;
  }

  /** Ready items, for tests and diagnostics. */
  get readyCount(): number {
    return this.#ready.length;
  }

  /** Starts preparing up to `target` items in the background. */
  fill(): void {
    while (!this.#closed && this.#ready.length + this.#preparing.size < this.#options.target) {
      const preparing = this.#options.prepare()
        .then((item) => (this.#closed ? this.#options.remove(item) : void this.#ready.push(item)))
        .catch((err: unknown) => this.#options.onError?.(err))
        .finally(() => this.#preparing.delete(preparing));
      this.#preparing.add(preparing);
    }
  }

  /** A ready item, else a freshly prepared one. Post: the item is the caller's until `give`. */
  async take(): Promise<T> {
    const ready = this.#ready.shift();
    setImmediate(() => this.fill()); // preparing blocks the event loop briefly: not before this take proceeds
    return ready ?? this.#options.prepare();
  }

  /**
   * Takes back an item as good as new: kept while ready and in-flight items together
   * are below twice the target, else removed. Preparations in flight count: each will
   * land among the ready ones, however late (on a busy machine, after the sandboxes
   * they were started for have come and gone).
   */
  async give(item: T): Promise<void> {
    if (!this.#closed && this.#ready.length + this.#preparing.size < 2 * this.#options.target) {
      this.#ready.push(item);
      return;
    }
    await this.#options.remove(item);
  }

  /** Waits for preparations in flight and removes every ready item. Later ones given back are removed. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#preparing]);
    await Promise.allSettled(this.#ready.splice(0).map((item) => this.#options.remove(item)));
  }
}
