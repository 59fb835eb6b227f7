import { load } from '../lib/stats.ts';
import { loadFor } from '../lib/timed-load.ts';
import { invoke } from './invoke.ts';
import { figureId, type Workload } from './workload.ts';

const ID = 'throughput';

/** Warm throughput: N closed-loop callers for a fixed time, after a warm-up at the same concurrency. */
export const warmThroughput: Workload = {
  id: ID,
  title: 'Warm throughput',
  method: (p) => `N callers in this process each invoke again as soon as their answer arrives, for ${p.throughputMs / 1000} s, after 4 x N untimed invokes at the same concurrency (so N sandboxes can start). Invokes per second over the timed window. The machine has 2 cores, shared by the load generator and the server.`,
  figures: (p) => p.kinds.flatMap((kind) => p.throughputConcurrency.map((c) => ({ id: figureId(ID, `c${c}`, kind), label: `throughput, concurrency ${c}`, unit: 'invokes/s', better: 'higher' as const, kind }))),
  async run(ctx) {
    const fn = await ctx.target.warmFunction(ctx.kind);
    for (const c of ctx.params.throughputConcurrency) {
      await load(c * 4, c, () => invoke(fn));
      const { completed, wallMs } = await loadFor(ctx.params.throughputMs, c, () => invoke(fn));
      ctx.record(figureId(ID, `c${c}`, ctx.kind), (completed / wallMs) * 1000);
    }
  },
};
