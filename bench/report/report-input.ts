import type { ComponentResult } from '../components/component-benches.ts';
import type { BenchParams } from '../workloads/index.ts';
import type { RunResults } from './run-results.ts';

/** What a report is made from. */
export interface ReportInput {
  readonly params: BenchParams;
  readonly results: RunResults;
  readonly facts: Readonly<Record<string, string>>;
  readonly machine: string;
  readonly sdkVersion: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly command: string;
  /** The focused scripts under bench/, one run each. */
  readonly components: readonly ComponentResult[];
  /** Plot files in the report folder, filled in by writeReport. */
  readonly plots: ReadonlyArray<{ readonly title: string; readonly file: string }>;
}
