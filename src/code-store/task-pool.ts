/**
 * Runs async tasks with at most `limit` in flight. `run` waits only while the
 * pool is full; the first failure is kept and rethrown by the next `run` or by
 * `drain`, which always waits for every started task (so a caller can clean up
 * afterwards knowing nothing is still writing).
 */
export class TaskPool {
  readonly #limit: number;
  readonly #running = new Set<Promise<void>>();
  #failed = false;
  #error: unknown;

  constructor(limit: number) {
    this.#limit = limit;
  }

  async run(task: () => Promise<void>): Promise<void> {
    this.#throwIfFailed();
    while (this.#running.size >= this.#limit) await Promise.race(this.#running);
    this.#throwIfFailed();
    const done: Promise<void> = task()
      .catch((err: unknown) => {
        if (!this.#failed) [this.#failed, this.#error] = [true, err];
      })
      .finally(() => this.#running.delete(done));
    this.#running.add(done);
  }

  async drain(): Promise<void> {
    await Promise.all(this.#running);
    this.#throwIfFailed();
  }

  #throwIfFailed(): void {
    if (this.#failed) throw this.#error;
  }
}
