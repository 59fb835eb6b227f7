/**
 * Runs every workload on every target, repetition after repetition. Each target
 * is started fresh per repetition and stopped before the next one starts, so the
 * systems never compete for the machine; the order of targets rotates between
 * repetitions so slow drift of a shared machine does not favour one of them.
 */
import { dirname } from 'node:path';
import { writeBaselineJs } from './targets/baseline-js.ts';
import { startBaselineTarget } from './targets/baseline-target.ts';
import { startFlintTarget } from './targets/flint-target.ts';
import { TARGET_NAMES, type Target, type TargetName } from './targets/target.ts';
import { startPeerTarget } from './targets/peer-target.ts';
import type { PeerInstall } from './targets/peer-install.ts';
import type { Cleanup } from './lib/cleanup.ts';
import type { Progress } from './lib/progress.ts';
import { emptyResults, recordNote, recordSamples, recordUnsupported, recordValue, type RunResults } from './report/run-results.ts';
import { type BenchParams, type HandlerKind, type Workload } from './workloads/index.ts';

export interface SuiteOptions {
  readonly params: BenchParams;
  readonly progress: Progress;
  readonly cleanup: Cleanup;
  readonly peer: PeerInstall;
  readonly sources: Readonly<Record<HandlerKind, string>>;
  readonly handlerFiles: Readonly<Record<HandlerKind, string>>;
  /** The workloads to run (all of WORKLOADS unless `--only` picked some). */
  readonly workloads: readonly Workload[];
}

export interface SuiteOutcome {
  readonly results: RunResults;
  /** What each target is (versions, isolation, settings), for the report. */
  readonly facts: Record<string, string>;
}

const firstLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 400);

function startTarget(name: TargetName, o: SuiteOptions): Promise<Target> {
  const { params, cleanup, sources } = o;
  if (name === 'flint') return startFlintTarget({ params, sources, cleanup });
  if (name === 'baseline') return startBaselineTarget({ mainJs: writeBaselineJs(dirname(o.handlerFiles.hello)), handlerFiles: o.handlerFiles, cleanup, holdMs: params.memoryHoldMs, settleMs: params.memorySettleMs });
  if (!o.peer.ok) throw new Error('peer not installed');
  return startPeerTarget({ versions: o.peer.versions, sources, coldSamples: params.coldSamples, holdMs: params.memoryHoldMs, settleMs: params.memorySettleMs, cleanup });
}

async function runWorkload(w: Workload, target: Target, kind: HandlerKind, rep: number, o: SuiteOptions, results: RunResults): Promise<void> {
  o.progress.step(`repetition ${rep}/${o.params.repetitions} · ${target.name} · ${w.title} (${kind} handler)`);
  const startedMs = Date.now();
  try {
    await w.run({
      target, kind, params: o.params, progress: o.progress,
      record: (figure, value) => recordValue(results, figure, target.name, value),
      unsupported: (figure, reason) => recordUnsupported(results, figure, target.name, reason),
      note: (text) => recordNote(results, w.id, `${target.name} (${kind})`, text),
      samples: (plot, series, values) => recordSamples(results, plot, series, values),
    });
  } catch (err) {
    const logged = target.errorsSince?.(startedMs) ?? [];
    const message = firstLine(err) + (logged.length > 0 ? ` (server errors: ${logged.join('; ').slice(0, 600)})` : '');
    results.failures.push({ workload: w.id, target: target.name, kind, repetition: rep, message });
    o.progress.step(`  failed: ${message}`);
  }
}

function markPeerMissing(reason: string, o: SuiteOptions, results: RunResults): void {
  for (const w of o.workloads) for (const f of w.figures(o.params)) recordUnsupported(results, f.id, 'peer', `the peer could not be installed (${reason})`);
}

export async function runSuite(o: SuiteOptions): Promise<SuiteOutcome> {
  const results = emptyResults();
  const facts: Record<string, string> = {};
  if (!o.peer.ok) {
    markPeerMissing(o.peer.reason, o, results);
    facts.peer = `NOT RUN: the peer could not be installed (${o.peer.reason}); every peer figure is n/a`;
  }
  for (let rep = 1; rep <= o.params.repetitions; rep++) {
    const order = TARGET_NAMES.map((_, i) => TARGET_NAMES[(i + rep - 1) % TARGET_NAMES.length]!);
    for (const name of order) {
      if (o.cleanup.interrupted) return { results, facts };
      if (name === 'peer' && !o.peer.ok) continue;
      o.progress.step(`repetition ${rep}/${o.params.repetitions} · ${name} · starting`);
      let target: Target;
      try {
        target = await startTarget(name, o);
      } catch (err) {
        const message = firstLine(err);
        results.failures.push({ workload: 'start', target: name, kind: '-', repetition: rep, message });
        o.progress.step(`  ${name} did not start: ${message}`);
        continue;
      }
      Object.assign(facts, target.describe());
      try {
        for (const w of o.workloads) for (const kind of o.params.kinds) if (!o.cleanup.interrupted) await runWorkload(w, target, kind, rep, o, results);
      } finally {
        await target.stop();
      }
    }
  }
  return { results, facts };
}
