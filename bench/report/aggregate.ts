/** Turns per-repetition values into table cells (median, min, max) and Flint's ratios to the peer and the baseline. */
import { median } from '../lib/stats.ts';
import { TARGET_NAMES, type TargetName } from '../targets/target.ts';
import type { BenchParams, FigureSpec, Workload } from '../workloads/index.ts';
import type { RunResults } from './run-results.ts';

export type Cell =
  | { readonly state: 'value'; readonly median: number; readonly min: number; readonly max: number; readonly n: number }
  | { readonly state: 'unsupported'; readonly reason: string }
  | { readonly state: 'failed' };

export interface FigureRow {
  readonly workload: string;
  readonly spec: FigureSpec;
  readonly cells: Readonly<Record<TargetName, Cell>>;
  /** Flint's median over the peer's / the baseline's; undefined when either is missing. */
  readonly flintToPeer: number | undefined;
  readonly flintToBaseline: number | undefined;
}

function cellOf(results: RunResults, figure: string, target: TargetName): Cell {
  const values = results.values[figure]?.[target];
  if (values !== undefined && values.length > 0) return { state: 'value', median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
  const reason = results.unsupported[figure]?.[target];
  return reason !== undefined ? { state: 'unsupported', reason } : { state: 'failed' };
}

const ratio = (a: Cell, b: Cell): number | undefined => (a.state === 'value' && b.state === 'value' && b.median !== 0 ? a.median / b.median : undefined);

export function aggregate(results: RunResults, workloads: readonly Workload[], params: BenchParams): FigureRow[] {
  return workloads.flatMap((w) => w.figures(params).map((spec) => {
    const cells = Object.fromEntries(TARGET_NAMES.map((t) => [t, cellOf(results, spec.id, t)])) as Record<TargetName, Cell>;
    return { workload: w.id, spec, cells, flintToPeer: ratio(cells.flint, cells.peer), flintToBaseline: ratio(cells.flint, cells.baseline) };
  }));
}
