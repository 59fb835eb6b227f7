/** Collects the `BENCH-EXEC <mark> <index> <epoch ms>` lines that handlers print on a server's stdout. */
import { setTimeout as sleep } from 'node:timers/promises';

export class ExecLines {
  readonly #byMark = new Map<string, Map<number, number>>();

  /** Feed every stdout line of the server; other lines are ignored. */
  readonly add = (line: string): void => {
    const m = /BENCH-EXEC (\S+) (\d+) (\d+)/.exec(line);
    if (!m) return;
    let seen = this.#byMark.get(m[1]!);
    if (!seen) this.#byMark.set(m[1]!, (seen = new Map()));
    seen.set(Number(m[2]), Number(m[3]));
  };

  async wait(mark: string, count: number, timeoutMs: number): Promise<Map<number, number>> {
    const deadline = Date.now() + timeoutMs;
    while ((this.#byMark.get(mark)?.size ?? 0) < count && Date.now() < deadline) await sleep(50);
    return this.#byMark.get(mark) ?? new Map();
  }
}
