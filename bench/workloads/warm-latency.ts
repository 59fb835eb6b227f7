import { summarize } from '../lib/stats.ts';
import { invoke } from './invoke.ts';
import { figureId, type Workload } from './workload.ts';

const ID = 'warm-latency';
const METRICS = [['p50', 'p50'], ['p90', 'p90'], ['p99', 'p99']] as const;

/** Warm invoke latency at concurrency 1: one caller, one invoke at a time, on a warm function. */
export const warmLatency: Workload = {
  id: ID,
  title: 'Warm invoke latency, concurrency 1',
  method: (p) => `One caller invokes a warm function ${p.latencyInvokes} times in a row (after ${p.latencyWarmupInvokes} untimed invokes); each latency is the SDK call from send to parsed answer. p50 / p90 / p99 per repetition; the table shows their median over repetitions.`,
  figures: (p) => p.kinds.flatMap((kind) => METRICS.map(([metric, label]) => ({ id: figureId(ID, metric, kind), label: `warm invoke ${label}`, unit: 'ms', better: 'lower' as const, kind }))),
  async run(ctx) {
    const fn = await ctx.target.warmFunction(ctx.kind);
    for (let i = 0; i < ctx.params.latencyWarmupInvokes; i++) await invoke(fn);
    const samples: number[] = [];
    for (let i = 0; i < ctx.params.latencyInvokes; i++) {
      const t = performance.now();
      await invoke(fn);
      samples.push(performance.now() - t);
    }
    const s = summarize(samples);
    for (const [metric] of METRICS) ctx.record(figureId(ID, metric, ctx.kind), s[metric]);
    ctx.samples(`warm-latency-${ctx.kind}`, ctx.target.name, samples);
  },
};
