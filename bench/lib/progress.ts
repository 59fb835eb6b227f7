/** Progress lines on stdout, each stamped with the time since the run began. */
export class Progress {
  readonly #startedMs = performance.now();
  readonly #write: (line: string) => void;

  constructor(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {
    this.#write = write;
  }

  elapsedMs(): number {
    return performance.now() - this.#startedMs;
  }

  step(message: string): void {
    const s = this.elapsedMs() / 1000;
    const stamp = `${String(Math.floor(s / 60)).padStart(2, '0')}:${(s % 60).toFixed(1).padStart(4, '0')}`;
    this.#write(`[${stamp}] ${message}`);
  }
}
