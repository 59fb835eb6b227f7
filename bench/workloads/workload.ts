/**
 * A workload measures one thing on one target for one handler in one repetition,
 * and records named figures. The report is built from the workloads' declarations
 * (section title, method, figures), so a figure cannot appear without its meaning.
 */
import type { Progress } from '../lib/progress.ts';
import type { Target, TargetName } from '../targets/target.ts';
import type { BenchParams } from './bench-params.ts';
import type { HandlerKind } from './handler-source.ts';

/** lower / higher: which way is better (ratios are read with it); info: context, no verdict. */
export type Better = 'lower' | 'higher' | 'info';

export interface FigureSpec {
  /** `<workload>.<metric>.<kind>`, stable across runs (report.json keys). */
  readonly id: string;
  readonly label: string;
  readonly unit: string;
  readonly better: Better;
  readonly kind: HandlerKind;
}

export interface WorkloadContext {
  readonly target: Target;
  readonly kind: HandlerKind;
  readonly params: BenchParams;
  readonly progress: Progress;
  record(figureId: string, value: number): void;
  unsupported(figureId: string, reason: string): void;
  /** A remark printed under the workload's table for this target and handler (context, not a figure). */
  note(text: string): void;
  /** Raw samples for the latency plots (pooled over repetitions), by plot and series. */
  samples(plotId: string, series: string, values: readonly number[]): void;
}

export interface Workload {
  readonly id: string;
  readonly title: string;
  /** How it is measured, in a few sentences (printed under the section title). */
  method(params: BenchParams): string;
  figures(params: BenchParams): FigureSpec[];
  /** Measures ctx.target with ctx.kind once; throws when something fails (the runner records it). */
  run(ctx: WorkloadContext): Promise<void>;
}

export const figureId = (workload: string, metric: string, kind: HandlerKind): string => `${workload}.${metric}.${kind}`;

/** Series name of a target in plots and tables. */
export const seriesName = (target: TargetName): string => target;
