/**
 * Runs an asynchronous step once per key: concurrent callers share the run in flight, and a run
 * that succeeded answers every later caller at once. The caches that use it keep directories this
 * process made or found and never removes, so a cold start asks no file system question for them
 * (an `access` through libuv's thread pool was ~0.2 ms of every cold start). A failed run is
 * forgotten: the next caller tries again.
 */
export class OncePerKey<T> {
  readonly #runs = new Map<string, Promise<T>>();

  get(key: string, run: () => Promise<T>): Promise<T> {
    let p = this.#runs.get(key);
    if (p === undefined) {
      p = run();
      this.#runs.set(key, p);
      p.catch(() => {
        if (this.#runs.get(key) === p) this.#runs.delete(key);
      });
    }
    return p;
  }
}
