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
  /** How long after a take the pool starts replacing it (default: at the next turn of the event loop). */
  readonly refillDelayMs?: number;
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
    return this.takeReady() ?? this.#options.prepare();
  }

  /** A ready item if there is one (the caller prepares its own otherwise). Post: as take(). */
  takeReady(): T | undefined {
    const ready = this.#ready.shift();
    // preparing blocks the event loop briefly: not before this take proceeds
    const delay = this.#options.refillDelayMs;
    if (delay === undefined) setImmediate(() => this.fill());
    else setTimeout(() => this.fill(), delay).unref();
    return ready;
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

  /** Removes a ready item that went bad while it waited (and prepares a replacement); no-op for one not ready here. */
  discard(item: T): void {
    const at = this.#ready.indexOf(item);
    if (at < 0) return;
    this.#ready.splice(at, 1);
    this.#options.remove(item).catch((err: unknown) => this.#options.onError?.(err));
    this.fill();
  }

  /** Waits for preparations in flight and removes every ready item. Later ones given back are removed. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#preparing]);
    await Promise.allSettled(this.#ready.splice(0).map((item) => this.#options.remove(item)));
  }
}
