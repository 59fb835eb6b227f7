import { isUnsupported } from '../targets/target.ts';
import { median } from '../lib/stats.ts';
import { figureId, type Workload } from './workload.ts';

const ID = 'idle-memory';

/** Memory of idle sandboxes, read from /proc/<pid>/smaps_rollup of every process of each sandbox. */
export const idleMemory: Workload = {
  id: ID,
  title: 'Idle sandbox memory (PSS)',
  method: (p) => `${p.memorySandboxes} sandboxes of a new function are started at once (concurrent invokes that hold them ${p.memoryHoldMs / 1000} s), left idle for ${p.memorySettleMs / 1000} s, then the memory of every process in each sandbox is read from /proc/<pid>/smaps_rollup and summed per sandbox. Flint: the processes of each sandbox's memory cgroup under the server's process tree (runtime, bubblewrap and the exec helper all count), on a server without the pre-started pool so that every cgroup is a function's sandbox. Baseline: the one idle Node process that served the same concurrent invokes in-process. Median over sandboxes. PSS gives each process a fair share of pages it shares with others (the Node binary, shared by every sandbox and by the baseline, the benchmark and the server processes), so it falls as more processes map them; USS counts private pages only (what ending the sandbox frees).`,
  figures: (p) => p.kinds.flatMap((kind) => [
    { id: figureId(ID, 'pss', kind), label: 'PSS per idle sandbox', unit: 'MiB', better: 'lower' as const, kind },
    { id: figureId(ID, 'uss', kind), label: 'private memory (USS) per idle sandbox', unit: 'MiB', better: 'lower' as const, kind },
  ]),
  async run(ctx) {
    const memory = await ctx.target.idleMemory(ctx.kind, ctx.params.memorySandboxes);
    if (isUnsupported(memory)) {
      for (const m of ['pss', 'uss']) ctx.unsupported(figureId(ID, m, ctx.kind), memory.unsupported);
      if (memory.context !== undefined) ctx.note(memory.context);
      return;
    }
    ctx.record(figureId(ID, 'pss', ctx.kind), median(memory.perSandbox.map((m) => m.pssMiB)));
    ctx.record(figureId(ID, 'uss', ctx.kind), median(memory.perSandbox.map((m) => m.ussMiB)));
  },
};
