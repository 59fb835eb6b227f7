import { isUnsupported } from '../targets/target.ts';
import { invoke } from './invoke.ts';
import { figureId, type Workload } from './workload.ts';

const ID = 'scale-up';

/**
 * Scale from 0: a burst of N concurrent invokes on a function that has no sandbox yet;
 * each invoke holds its sandbox long enough that none can be reused, so N must run at once.
 */
export const scaleUp: Workload = {
  id: ID,
  title: 'Scale from 0 to N concurrent sandboxes',
  method: (p) => `A burst of ${p.scaleTo} concurrent invokes on a function that has never run; each handler holds its sandbox ${p.scaleHoldMs} ms after it starts, so no sandbox can serve two of them. The figure is the time from sending the burst to the start of the last handler (its own clock, in the answer). "instances" counts the distinct module instances that answered: sandboxes for Flint, worker threads for the peer, 1 for the baseline process.`,
  figures: (p) => p.kinds.flatMap((kind) => [
    { id: figureId(ID, 'ms', kind), label: `time to ${p.scaleTo} concurrent handlers running`, unit: 'ms', better: 'lower' as const, kind },
    { id: figureId(ID, 'instances', kind), label: `instances that served the ${p.scaleTo} invokes`, unit: 'count', better: 'info' as const, kind },
  ]),
  async run(ctx) {
    const fn = await ctx.target.freshFunction(ctx.kind, 'scale');
    if (isUnsupported(fn)) {
      for (const m of ['ms', 'instances']) ctx.unsupported(figureId(ID, m, ctx.kind), fn.unsupported);
      return;
    }
    try {
      const sentMs = Date.now();
      const replies = await Promise.all(Array.from({ length: ctx.params.scaleTo }, () => invoke(fn, { holdMs: ctx.params.scaleHoldMs })));
      ctx.record(figureId(ID, 'ms', ctx.kind), Math.max(...replies.map((r) => r.startedMs)) - sentMs);
      ctx.record(figureId(ID, 'instances', ctx.kind), new Set(replies.map((r) => r.instance)).size);
    } finally {
      await ctx.target.retire(fn);
    }
  },
};
