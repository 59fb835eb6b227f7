/**
 * `npm run bench`: every workload on Flint, on the peer (serverless-offline,
 * installed on demand) and on the baseline (a plain Node server calling the handler
 * in-process), in one run, into one report folder: report.md, report.json and SVG
 * plots of the latency distributions. Then the focused scripts under bench/ run once
 * each (bench/components/component-benches.ts) and their output joins the report.
 *
 *   npm run bench                     full run (3 repetitions, under 10 minutes on 2 cores)
 *   npm run bench -- --quick          a smoke run in well under a minute (1 repetition, few samples)
 *   npm run bench -- --out DIR        write the report to DIR
 *   npm run bench -- --only ID[,ID]   only these workloads (ids as in report.json, e.g. sqs), no component benches
 *
 * Full runs write to bench/results/<timestamp>/, quick runs to bench/results/tmp/ (ignored by git).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runComponentBenches } from './components/component-benches.ts';
import { Cleanup } from './lib/cleanup.ts';
import { Progress } from './lib/progress.ts';
import { ensurePeerInstalled } from './targets/peer-install.ts';
import { writeReport } from './report/write-report.ts';
import { runSuite } from './run-suite.ts';
import { benchParams, calibrateCpuIterations, HANDLER_KINDS, handlerSource, WORKLOADS, type HandlerKind } from './workloads/index.ts';

const ROOT = resolve(import.meta.dirname, '..');

function reportDir(quick: boolean, out: string | undefined): string {
  if (out !== undefined) return resolve(out);
  const stamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  return join(ROOT, 'bench', 'results', ...(quick ? ['tmp', `quick-${stamp}`] : [stamp]));
}

function machine(): string {
  const c = cpus();
  return `${c.length} x ${c[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Linux ${release()}, Node ${process.version}`;
}

const sdkVersion = (): string => (JSON.parse(readFileSync(join(ROOT, 'node_modules', '@aws-sdk', 'client-lambda', 'package.json'), 'utf8')) as { version: string }).version;

function writeHandlers(sources: Record<HandlerKind, string>, cleanup: Cleanup): Record<HandlerKind, string> {
  const dir = mkdtempSync(join(tmpdir(), 'flint-bench-handlers-'));
  cleanup.defer(`handler dir ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  return Object.fromEntries(HANDLER_KINDS.map((kind) => {
    writeFileSync(join(dir, `${kind}.js`), sources[kind]);
    return [kind, join(dir, `${kind}.js`)];
  })) as Record<HandlerKind, string>;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, out: { type: 'string' }, only: { type: 'string' } } });
  const quick = values.quick === true;
  const only = values.only?.split(',');
  const workloads = only === undefined ? WORKLOADS : WORKLOADS.filter((w) => only.includes(w.id));
  if (only !== undefined && workloads.length !== only.length) throw new Error(`--only: unknown workload among ${values.only} (known: ${WORKLOADS.map((w) => w.id).join(', ')})`);
  const dir = reportDir(quick, values.out);
  const progress = new Progress();
  const cleanup = new Cleanup();
  cleanup.onSignals();
  const startedAt = new Date().toISOString();
  progress.step(`Flint benchmark, ${quick ? 'quick' : 'full'} mode; report folder: ${dir}`);
  const params = benchParams(quick, calibrateCpuIterations(5));
  progress.step(`cpu handler: ${params.cpuIterations} iterations = ${params.cpuMeasuredMs.toFixed(2)} ms here`);
  const sources = Object.fromEntries(HANDLER_KINDS.map((k) => [k, handlerSource(k, params.cpuIterations)])) as Record<HandlerKind, string>;
  try {
    const handlerFiles = writeHandlers(sources, cleanup);
    const peer = await ensurePeerInstalled(progress);
    if (!peer.ok) progress.step(`the peer could not be installed, its figures will be marked n/a: ${peer.reason}`);
    const { results, facts } = await runSuite({ params, progress, cleanup, peer, sources, handlerFiles, workloads });
    if (cleanup.interrupted) return progress.step('interrupted: no report written');
    const components = only === undefined ? await runComponentBenches(params.mode, progress, cleanup) : [];
    if (cleanup.interrupted) return progress.step('interrupted: no report written');
    const flags = [...(quick ? ['--quick'] : []), ...(only === undefined ? [] : [`--only ${values.only}`])];
    const command = `npm run bench${flags.length > 0 ? ` -- ${flags.join(' ')}` : ''}`;
    const files = writeReport(dir, { params, results, facts, machine: machine(), sdkVersion: sdkVersion(), startedAt, durationMs: progress.elapsedMs(), command, components }, workloads);
    const failed = results.failures.length + components.filter((c) => c.skipped === undefined && c.exitCode !== 0).length;
    progress.step(`wrote ${files.length} files${failed > 0 ? `; ${failed} measurement(s) FAILED, see the report` : ''}`);
    process.stdout.write(`\nReport folder: ${dir}\nReport: ${join(dir, 'report.md')}\n`);
    if (failed > 0) process.exitCode = 1;
  } finally {
    await cleanup.runAll();
  }
}

await main();
