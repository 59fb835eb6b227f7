/**
 * What the benchmark must undo (processes it started, directories it made), run
 * last-in first-out exactly once: when a part finishes, at the end of the run, or
 * when the run is interrupted (SIGINT / SIGTERM).
 */
export class Cleanup {
  readonly #actions = new Set<{ readonly label: string; readonly run: () => Promise<void> | void }>();
  #interrupted = false;
  /** Undo actions of things that finished starting after the interrupt. */
  readonly #late: Array<Promise<void>> = [];

  /** True once SIGINT / SIGTERM arrived: the run should start nothing more. */
  get interrupted(): boolean {
    return this.#interrupted;
  }

  /**
   * Registers an undo action; the returned function runs it now (once) and forgets it.
   * After an interrupt the action runs at once and defer throws, so the run stops there.
   */
  defer(label: string, run: () => Promise<void> | void): () => Promise<void> {
    if (this.#interrupted) {
      this.#late.push(Promise.resolve().then(run).catch(() => undefined));
      throw new Error(`interrupted: stopped ${label}`);
    }
    const action = { label, run };
    this.#actions.add(action);
    return async () => {
      if (!this.#actions.delete(action)) return;
      await action.run();
    };
  }

  async runAll(): Promise<void> {
    for (const action of [...this.#actions].reverse()) {
      this.#actions.delete(action);
      try {
        await action.run();
      } catch (err) {
        process.stderr.write(`cleanup "${action.label}" failed: ${(err as Error).message}\n`);
      }
    }
  }

  /**
   * On SIGINT / SIGTERM: undo everything, give starts in flight a moment to finish
   * (their defer then stops them at once), undo those too, then exit with 130 / 143.
   */
  onSignals(): void {
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
      process.once(signal, () => {
        this.#interrupted = true;
        process.stderr.write(`\n${signal}: stopping every process the benchmark started\n`);
        void (async () => {
          await this.runAll();
          await new Promise((r) => setTimeout(r, 1500));
          await Promise.all(this.#late);
          await this.runAll();
        })().finally(() => process.exit(code));
      });
    }
  }
}
