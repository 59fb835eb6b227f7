/** Everything a run measured, as plain data (the report is built from it and it is saved as report.json). */
import type { TargetName } from '../targets/target.ts';

export interface Failure {
  readonly workload: string;
  readonly target: TargetName;
  readonly kind: string;
  readonly repetition: number;
  readonly message: string;
}

export interface RunResults {
  /** figure id -> target -> one value per repetition that produced it. */
  readonly values: Record<string, Partial<Record<TargetName, number[]>>>;
  /** figure id -> target -> why the target cannot produce it. */
  readonly unsupported: Record<string, Partial<Record<TargetName, string>>>;
  readonly failures: Failure[];
  /** plot id -> series -> raw samples pooled over repetitions. */
  readonly samples: Record<string, Record<string, number[]>>;
  /** workload id -> `<target> (<kind>)` -> a note from the last repetition (context, never a figure). */
  readonly notes: Record<string, Record<string, string>>;
}

export function emptyResults(): RunResults {
  return { values: {}, unsupported: {}, failures: [], samples: {}, notes: {} };
}

export function recordValue(r: RunResults, figure: string, target: TargetName, value: number): void {
  const byTarget = (r.values[figure] ??= {});
  (byTarget[target] ??= []).push(value);
}

export function recordUnsupported(r: RunResults, figure: string, target: TargetName, reason: string): void {
  (r.unsupported[figure] ??= {})[target] = reason;
}

export function recordSamples(r: RunResults, plot: string, series: string, values: readonly number[]): void {
  const byPlot = (r.samples[plot] ??= {});
  (byPlot[series] ??= []).push(...values);
}

export function recordNote(r: RunResults, workload: string, about: string, text: string): void {
  (r.notes[workload] ??= {})[about] = text;
}
