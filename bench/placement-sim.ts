/**
 * Placement and keep-alive past one machine, simulated: a synthetic trace after the Azure
 * Functions 2019 trace (bench/placement-sim/trace.ts) drives Flint's real placement and
 * worker-manager decisions over many hosts on a virtual clock (bench/placement-sim/simulate.ts),
 * once with the fixed keep-alive and once with the histogram policy, on the same trace.
 * Model and latest table: bench/placement-sim.md.
 *
 *   node bench/placement-sim.ts            quick: 1,000 functions, 10 hosts of 64 GB, one simulated day (~10 s)
 *   node bench/placement-sim.ts --full     10,000 functions, 100 hosts of 64 GB, one simulated day (~10 CPU-minutes;
 *                                          --hours 6 for ~2)
 * Options (each overrides the preset): --functions N --hosts N --host-gb N --hours H --warmup-hours H
 *   --seed N --zipf S --keep-alive-min M --bin-ms MS --bins N --oversubscription F --oom-guard F --check
 *   --also-fixed-min 30,60 (more fixed keep-alives, to compare with the histogram at equal memory)
 */
import { parseArgs } from 'node:util';
import { simulate, type SimOptions, type SimResult } from './placement-sim/simulate.ts';
import { DEFAULT_TRACE } from './placement-sim/trace.ts';

const { values } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    functions: { type: 'string' },
    hosts: { type: 'string' },
    'host-gb': { type: 'string' },
    hours: { type: 'string' },
    'warmup-hours': { type: 'string' },
    seed: { type: 'string' },
    zipf: { type: 'string' },
    'keep-alive-min': { type: 'string' },
    'bin-ms': { type: 'string' },
    bins: { type: 'string' },
    oversubscription: { type: 'string' },
    'oom-guard': { type: 'string' },
    check: { type: 'boolean', default: false },
    /** Extra fixed keep-alives to compare at equal memory (minutes, comma-separated). */
    'also-fixed-min': { type: 'string' },
  },
});
const num = (v: string | undefined, def: number): number => (v === undefined ? def : Number(v));
const full = values.full === true;

const base = {
  functions: num(values.functions, full ? 10_000 : 1000),
  hosts: num(values.hosts, full ? 100 : 10),
  hostMemoryGb: num(values['host-gb'], 64),
  hours: num(values.hours, 24),
  warmupHours: num(values['warmup-hours'], 2),
};
const options = (keepAlive: 'fixed' | 'histogram', fixedMin = num(values['keep-alive-min'], 10)): SimOptions => ({
  trace: { ...DEFAULT_TRACE, seed: num(values.seed, 1), functions: base.functions, zipfS: num(values.zipf, DEFAULT_TRACE.zipfS) },
  hosts: base.hosts,
  hostMemoryGb: base.hostMemoryGb,
  hours: base.hours,
  warmupHours: base.warmupHours,
  keepAlive,
  fixedKeepAliveMs: fixedMin * 60_000,
  binMs: num(values['bin-ms'], 60_000),
  bins: num(values.bins, 240),
  placement: { oversubscription: num(values.oversubscription, 1), oomGuard: num(values['oom-guard'], 0.1) },
  idleUseShare: 0.5,
  idleFloorMb: 16,
  scaleUp: { perInterval: 1000, intervalMs: 10_000, burst: 1000 },
  checkDecisions: values.check === true,
});

// a short run first, so that the decisions' timings are not the JIT's warm-up
simulate({ ...options('histogram'), trace: { ...options('histogram').trace, functions: 200 }, hours: 1, warmupHours: 0 });
const results: SimResult[] = [];
const runs: SimOptions[] = [options('fixed'), options('histogram')];
for (const m of (values['also-fixed-min'] ?? '').split(',').filter((x) => x !== '')) runs.push(options('fixed', Number(m)));
for (const run of runs) {
  const r = simulate(run);
  results.push(r);
  process.stderr.write(`${r.policy}: ${r.events.toLocaleString('en')} events in ${(r.wallMs / 1000).toFixed(1)} s\n`);
}

const f = (n: number, digits = 1): string => n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const rows: Array<[string, (r: SimResult) => string]> = [
  ['invocations (after warm-up)', (r) => f(r.invocations, 0)],
  ['cold starts', (r) => `${f(r.coldStarts, 0)} (**${f(r.coldStartPct, 2)} %**)`],
  ['refused (scale-up rate or no room)', (r) => f(r.throttled, 0)],
  ['pre-warms', (r) => f(r.preWarms, 0)],
  ['evictions', (r) => f(r.evictions, 0)],
  ['sandboxes per host, mean / p99', (r) => `${f(r.sandboxesPerHostMean)} / ${f(r.sandboxesPerHostP99, 0)}`],
  ['memory committed (limits), mean % of budget', (r) => f(r.committedPct)],
  ['memory used (measured model), mean % of budget', (r) => f(r.measuredPct)],
  ['busiest host committed, peak %', (r) => f(r.peakHostCommittedPct)],
  ['wasted memory-time (idle sandboxes), GB-hours', (r) => f(r.wastedGbHours, 0)],
  ['functions keeping alive by their histogram', (r) => `${f(r.histogramFunctionsPct)} %`],
  ['placement decisions', (r) => f(r.placements, 0)],
  ['placement decisions/s in the simulation (wall clock, views + chooseHost)', (r) => f(r.placementsPerSec, 0)],
  ['chooseHost decisions/s, tight loop over the final hosts', (r) => f(r.chooseHostPerSec, 0)],
  ['simulation wall time', (r) => `${f(r.wallMs / 1000)} s`],
];
const head = `| ${base.functions.toLocaleString('en')} functions, ${base.hosts} hosts x ${base.hostMemoryGb} GB, ${base.hours} h (${base.warmupHours} h warm-up) | ${results.map((r) => r.policy).join(' | ')} |`;
console.log([head, `|---|${results.map(() => '---').join('|')}|`, ...rows.map(([name, cell]) => `| ${name} | ${results.map(cell).join(' | ')} |`)].join('\n'));
