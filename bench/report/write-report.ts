/** Writes report.md, report.json and the SVG plots into the report folder. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Workload } from '../workloads/index.ts';
import { aggregate } from './aggregate.ts';
import { renderMarkdown } from './markdown-report.ts';
import type { ReportInput } from './report-input.ts';
import { renderCdf, type Series } from './svg-cdf.ts';
import { renderHistograms } from './svg-histogram.ts';

const PLOT_TITLES: Record<string, string> = {
  'warm-latency': 'Warm invoke latency, concurrency 1',
  'cold-start': 'Cold start latency',
};

function plotTitle(plotId: string): string {
  const kind = plotId.split('-').at(-1)!;
  const prefix = plotId.slice(0, -(kind.length + 1));
  return `${PLOT_TITLES[prefix] ?? prefix}, ${kind} handler`;
}

function writePlots(dir: string, samples: ReportInput['results']['samples']): Array<{ title: string; file: string }> {
  const plots: Array<{ title: string; file: string }> = [];
  for (const [plotId, bySeries] of Object.entries(samples).sort(([a], [b]) => a.localeCompare(b))) {
    const series: Series[] = Object.entries(bySeries).map(([name, values]) => ({ name, samples: values }));
    const title = plotTitle(plotId);
    writeFileSync(join(dir, `${plotId}-cdf.svg`), renderCdf(`${title} (CDF)`, series));
    plots.push({ title: `${title} (CDF)`, file: `${plotId}-cdf.svg` });
    writeFileSync(join(dir, `${plotId}-histogram.svg`), renderHistograms(`${title} (histogram)`, series));
    plots.push({ title: `${title} (histogram)`, file: `${plotId}-histogram.svg` });
  }
  return plots;
}

const round = (values: readonly number[]) => values.map((v) => Math.round(v * 1000) / 1000);

export function writeReport(dir: string, input: Omit<ReportInput, 'plots'>, workloads: readonly Workload[]): string[] {
  mkdirSync(dir, { recursive: true });
  const plots = writePlots(dir, input.results.samples);
  const full: ReportInput = { ...input, plots };
  const rows = aggregate(input.results, workloads, input.params);
  writeFileSync(join(dir, 'report.md'), renderMarkdown(full, rows, workloads));
  const samples = Object.fromEntries(Object.entries(input.results.samples).map(([plot, s]) => [plot, Object.fromEntries(Object.entries(s).map(([k, v]) => [k, round(v)]))]));
  const json = {
    mode: input.params.mode, startedAt: input.startedAt, durationMs: Math.round(input.durationMs), command: input.command,
    machine: input.machine, facts: input.facts, sdkVersion: input.sdkVersion, params: input.params,
    figures: rows.map((r) => ({ id: r.spec.id, workload: r.workload, kind: r.spec.kind, label: r.spec.label, unit: r.spec.unit, better: r.spec.better, ...r.cells, flintToPeer: r.flintToPeer, flintToBaseline: r.flintToBaseline, perRepetition: input.results.values[r.spec.id] ?? {} })),
    failures: input.results.failures, components: input.components, plots, samples,
  };
  writeFileSync(join(dir, 'report.json'), `${JSON.stringify(json, null, 1)}\n`);
  return ['report.md', 'report.json', ...plots.map((p) => p.file)];
}
