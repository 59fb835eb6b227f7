import { randomUUID } from 'node:crypto';
import { invokeEvent } from './invoke.ts';
import { figureId, type Workload } from './workload.ts';

const ID = 'async';

/** Async invokes: Event invokes sent as fast as the clients can, until every handler has run. */
export const asyncThroughput: Workload = {
  id: ID,
  title: 'Async accepted-to-executed throughput',
  method: (p) => `${p.asyncClients} callers send ${p.asyncEvents} Event invokes (each answered 202) to the warm function as fast as they can. Each handler logs its start time with the event's index; the benchmark reads those lines (Flint: the function's log group; peer and baseline: the server's stdout). Executed/s = events / (last handler start - first send); accepted/s = events / (last 202 - first send).`,
  figures: (p) => p.kinds.flatMap((kind) => [
    { id: figureId(ID, 'executed', kind), label: 'async events executed per second', unit: 'events/s', better: 'higher' as const, kind },
    { id: figureId(ID, 'accepted', kind), label: 'async events accepted (202) per second', unit: 'events/s', better: 'higher' as const, kind },
  ]),
  async run(ctx) {
    const fn = await ctx.target.warmFunction(ctx.kind);
    const { asyncEvents: count, asyncClients } = ctx.params;
    const mark = randomUUID().slice(0, 8);
    let next = 0;
    const firstSendMs = Date.now();
    await Promise.all(Array.from({ length: asyncClients }, async () => {
      while (next < count) await invokeEvent(fn, { mark, i: next++ });
    }));
    const lastAcceptMs = Date.now();
    const executed = await ctx.target.executions(fn, mark, count, 120_000);
    if (executed.size < count) throw new Error(`only ${executed.size} of ${count} async events ran within 120 s`);
    ctx.record(figureId(ID, 'executed', ctx.kind), count / ((Math.max(...executed.values()) - firstSendMs) / 1000));
    ctx.record(figureId(ID, 'accepted', ctx.kind), count / ((lastAcceptMs - firstSendMs) / 1000));
  },
};
