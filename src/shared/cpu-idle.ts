/**
 * How idle the machine's CPUs have been lately, from the kernel's per-CPU time
 * counters (os.cpus()): the share of CPU time spent idle between two readings.
 * Used where adding work only pays while the machine has room for it.
 */
import { cpus } from 'node:os';

export interface CpuTimes {
  readonly idle: number;
  readonly total: number;
}

/** Sums the counters of every CPU. */
export function readCpuTimes(list: ReadonlyArray<{ readonly times: Readonly<Record<string, number>> }> = cpus()): CpuTimes {
  let idle = 0;
  let total = 0;
  for (const cpu of list) {
    idle += cpu.times.idle ?? 0;
    for (const t of Object.values(cpu.times)) total += t;
  }
  return { idle, total };
}

/** Idle share (0..1) between two readings; 1 when no time passed. */
export function idleShare(before: CpuTimes, after: CpuTimes): number {
  const total = after.total - before.total;
  if (total <= 0) return 1;
  return Math.min(1, Math.max(0, (after.idle - before.idle) / total));
}

/** Idle share since the previous call that was at least `minSpanMs` ago (answers the last figure in between). */
export class CpuIdleSampler {
  readonly #minSpanMs: number;
  readonly #read: () => CpuTimes;
  #last: { readonly atMs: number; readonly times: CpuTimes };
  #share = 1;

  constructor(minSpanMs = 50, read: () => CpuTimes = () => readCpuTimes()) {
    this.#minSpanMs = minSpanMs;
    this.#read = read;
    this.#last = { atMs: performance.now(), times: read() };
  }

  idleShare(): number {
    const now = performance.now();
    if (now - this.#last.atMs < this.#minSpanMs) return this.#share;
    const times = this.#read();
    this.#share = idleShare(this.#last.times, times);
    this.#last = { atMs: now, times };
    return this.#share;
  }
}
