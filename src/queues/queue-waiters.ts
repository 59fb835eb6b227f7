/**
 * Long polls waiting on a queue: a send (or a message made visible) on this front end wakes them
 * at once; a recheck period covers what no local call announces (delays and visibility timeouts
 * running out, and in a cluster, messages sent through another front end).
 */
export class QueueWaiters {
  readonly #waiting = new Map<string, Set<() => void>>();

  /** Wakes every long poll on the queue. */
  notify(queue: string): void {
    const set = this.#waiting.get(queue);
    if (set === undefined) return;
    this.#waiting.delete(queue);
    for (const wake of set) wake();
  }

  /** Resolves on `notify(queue)`, after `ms`, or when `signal` aborts, whichever comes first. */
  wait(queue: string, ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      let set = this.#waiting.get(queue);
      if (set === undefined) this.#waiting.set(queue, (set = new Set()));
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.#waiting.get(queue)?.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      set.add(done);
    });
  }
}
