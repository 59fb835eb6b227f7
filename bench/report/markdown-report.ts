/** report.md: setup, headline table, one section per workload, what the peer cannot do, failures, plots. */
import type { Workload } from '../workloads/index.ts';
import type { FigureRow } from './aggregate.ts';
import { formatCell, formatRatio, Notes } from './format.ts';
import type { ReportInput } from './report-input.ts';

/** The figures that the README's headline table shows. */
export const HEADLINE_FIGURES = [
  'warm-latency.p50.hello', 'warm-latency.p99.hello', 'warm-latency.p50.cpu', 'throughput.c1.hello', 'throughput.c32.hello', 'raw-throughput.c32.hello', 'throughput.c32.cpu',
  'cold-start.pool.p50.hello', 'cold-start.no-pool.p50.hello', 'scale-up.ms.hello', 'idle-memory.pss.hello', 'idle-memory.uss.hello', 'async.executed.hello', 'sqs.rate.hello', 'sqs.p50.hello',
];

const HEADER = ['| handler | figure | Flint | peer | baseline | Flint/peer | Flint/baseline |', '|---|---|---|---|---|---|---|'];

export function figureTable(rows: readonly FigureRow[], repetitions: number): string[] {
  const notes = new Notes();
  const lines = rows.map((r) => {
    const cell = (t: 'flint' | 'peer' | 'baseline') => formatCell(r.cells[t], r.spec.unit, repetitions, notes.mark);
    const better = r.spec.better === 'lower' ? ', lower is better' : r.spec.better === 'higher' ? ', higher is better' : '';
    const ratio = (x: number | undefined) => (r.spec.better === 'info' ? '—' : formatRatio(x));
    return `| ${r.spec.kind} | ${r.spec.label} (${r.spec.unit}${better}) | ${cell('flint')} | ${cell('peer')} | ${cell('baseline')} | ${ratio(r.flintToPeer)} | ${ratio(r.flintToBaseline)} |`;
  });
  const noteLines = notes.lines();
  return [...HEADER, ...lines, ...(noteLines.length > 0 ? ['', ...noteLines.map((n) => `${n}  `)] : [])];
}

function setup(input: ReportInput): string[] {
  const p = input.params;
  return [
    '## Setup', '',
    `- machine: ${input.machine}`,
    ...Object.entries(input.facts).map(([k, v]) => `- ${k}: ${v}`),
    `- load: this benchmark process, through @aws-sdk/client-lambda ${input.sdkVersion} (one client per server, maxAttempts 1), to 127.0.0.1 only`,
    `- handlers: \`hello\` answers at once; \`cpu\` first computes PBKDF2-SHA256 with ${p.cpuIterations.toLocaleString('en')} iterations in native code (${p.cpuMeasuredMs.toFixed(1)} ms measured in this process at the start of the run); the same file runs on all three`,
    `- mode ${p.mode}: ${p.repetitions} repetition(s); every cell is the median over the repetitions with [min–max]; Flint/peer and Flint/baseline divide medians`,
  ];
}

function section(w: Workload, rows: readonly FigureRow[], input: ReportInput): string[] {
  const notes = Object.entries(input.results.notes[w.id] ?? {}).map(([about, text]) => `- ${about}: ${text}`);
  return [
    '', `## ${w.title}`, '', w.method(input.params), '', ...figureTable(rows.filter((r) => r.workload === w.id), input.params.repetitions),
    ...(notes.length > 0 ? ['', 'Notes (context from the last repetition, not figures):', '', ...notes] : []),
  ];
}

function peerLimits(rows: readonly FigureRow[]): string[] {
  const seen = new Map<string, string[]>();
  for (const r of rows) {
    const c = r.cells.peer;
    if (c.state === 'unsupported') seen.set(c.reason, [...(seen.get(c.reason) ?? []), `${r.spec.label} (${r.spec.kind})`]);
  }
  return [
    '', '## What the peer cannot do', '',
    ...[...seen].map(([reason, labels]) => `- ${reason}. Affects: ${labels.join('; ')}.`),
    '- It has no control plane: no UpdateFunctionConfiguration or PublishVersion, so a cold start on a new version cannot be asked for; the cold-start rows use the first invoke of functions never invoked before.',
    '- It enforces no concurrency limit (no 429 TooManyRequestsException): every concurrent request gets a new worker thread, without bound.',
    '- It isolates nothing and enforces no memory or CPU limit: handlers share the server process and the host.',
  ];
}

function components(input: ReportInput): string[] {
  return [
    '', '## Component benchmarks', '',
    'The focused scripts under bench/, each run once as its own process after the suite; their output as printed (single runs, no repetitions).',
    ...input.components.flatMap((c) => {
      const head = ['', `### \`${c.command}\``, ''];
      if (c.skipped !== undefined) return [...head, `${c.what}. Skipped: ${c.skipped}.`];
      const status = c.exitCode === 0 ? `took ${((c.durationMs ?? 0) / 1000).toFixed(0)} s` : `FAILED: exit code ${c.exitCode}`;
      return [...head, `${c.what} (${status}).`, '', '```text', c.output ?? '', '```'];
    }),
  ];
}

export function renderMarkdown(input: ReportInput, rows: readonly FigureRow[], workloads: readonly Workload[]): string {
  const headline = HEADLINE_FIGURES.map((id) => rows.find((r) => r.spec.id === id)).filter((r) => r !== undefined);
  const failures = input.results.failures.map((f) => `- repetition ${f.repetition}, ${f.target}, ${f.workload} (${f.kind}): ${f.message}`);
  return [
    `# Flint benchmark report (${input.params.mode})`, '',
    `Started ${input.startedAt}, took ${(input.durationMs / 1000).toFixed(0)} s. Flint, the peer (serverless-offline) and the baseline (a plain Node server calling the handler in-process) measured in the same run on the same machine; command: \`${input.command}\`.`,
    '', ...setup(input),
    '', '## Headline', '', ...figureTable(headline, input.params.repetitions),
    ...workloads.flatMap((w) => section(w, rows, input)),
    ...peerLimits(rows),
    ...components(input),
    ...(failures.length > 0 ? ['', '## Failures', '', ...failures] : []),
    '', '## Plots', '', ...input.plots.map((p) => `![${p.title}](${p.file})`),
    '',
  ].join('\n');
}
