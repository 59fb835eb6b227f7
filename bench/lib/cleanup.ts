/**
 * What the benchmark must undo (processes it started, directories it made), run
 * last-in first-out exactly once: when a part finishes, at the end of the run, or
 * when the run is interrupted (SIGINT / SIGTERM).
 */
export class Cleanup {
  readonly #actions = new Set<{ readonly label: string; readonly run: () => Promise<void> | void }>();

  /** Registers an undo action; the returned function runs it now (once) and forgets it. */
  defer(label: string, run: () => Promise<void> | void): () => Promise<void> {
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

  /** On SIGINT / SIGTERM: undo everything, then exit with 130 / 143. */
  onSignals(): void {
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
      process.once(signal, () => {
        process.stderr.write(`\n${signal}: stopping every process the benchmark started\n`);
        void this.runAll().finally(() => process.exit(code));
      });
    }
  }
}
