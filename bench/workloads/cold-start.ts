import { isUnsupported } from '../targets/target.ts';
import { summarize } from '../lib/stats.ts';
import { figureId, type Workload } from './workload.ts';

const ID = 'cold-start';
const MODES = [['pool', true, 'with the pre-started pool'], ['no-pool', false, 'without the pool']] as const;

/** Cold starts: each sample is the first invoke of a new function version (how, is the target's to say). */
export const coldStart: Workload = {
  id: ID,
  title: 'Cold start',
  method: (p) => `${p.coldSamples} samples per repetition, each the first invoke after a change that needs a new sandbox. Flint: UpdateFunctionConfiguration (a new environment variable), wait until LastUpdateStatus is Successful and 300 ms for the pool to refill, then time one invoke; once on a server with the default pool of pre-started sandboxes and once with \`--pool-size-per-runtime 0 --pool-max-per-runtime 0\`. Peer: the first invoke of a function that was never invoked (a new worker thread loads the handler). Baseline: spawn a new Node process that loads the handler and serves it, and time spawn to the first answer (a bare process has no pool: both rows measure the same thing).`,
  figures: (p) => p.kinds.flatMap((kind) => MODES.flatMap(([mode, , label]) => (['p50', 'p99'] as const).map((m) => ({ id: figureId(ID, `${mode}.${m}`, kind), label: `cold start ${m}, ${label}`, unit: 'ms', better: 'lower' as const, kind })))),
  async run(ctx) {
    for (const [mode, withPool] of MODES) {
      const samples = await ctx.target.coldStarts(ctx.kind, withPool, ctx.params.coldSamples);
      for (const m of ['p50', 'p99'] as const) {
        const id = figureId(ID, `${mode}.${m}`, ctx.kind);
        if (isUnsupported(samples)) ctx.unsupported(id, samples.unsupported);
        else ctx.record(id, summarize(samples)[m]);
      }
      if (!isUnsupported(samples)) ctx.samples(`cold-start-${ctx.kind}`, `${ctx.target.name} (${mode})`, samples);
    }
  },
};
