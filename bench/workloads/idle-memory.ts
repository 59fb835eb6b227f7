import { isUnsupported } from '../targets/target.ts';
import { figureId, type Workload } from './workload.ts';

const ID = 'idle-memory';

/** PSS of idle sandboxes, read from /proc/<pid>/smaps_rollup of every process of each sandbox. */
export const idleMemory: Workload = {
  id: ID,
  title: 'Idle sandbox memory (PSS)',
  method: (p) => `${p.memorySandboxes} sandboxes of a new function are started at once (concurrent invokes that hold them), left idle for ${p.memorySettleMs / 1000} s, then the PSS of every process in each sandbox is read from /proc/<pid>/smaps_rollup and summed per sandbox (Flint: the processes of each sandbox's memory cgroup under the server's process tree, on a server without the pre-started pool so that every cgroup is a function's sandbox; runtime, bubblewrap and the exec helper all count). Median over sandboxes. Baseline: the PSS of the idle Node process that serves the handler in-process.`,
  figures: (p) => p.kinds.map((kind) => ({ id: figureId(ID, 'pss', kind), label: 'PSS per idle sandbox', unit: 'MiB', better: 'lower' as const, kind })),
  async run(ctx) {
    const id = figureId(ID, 'pss', ctx.kind);
    const memory = await ctx.target.idleMemory(ctx.kind, ctx.params.memorySandboxes);
    if (isUnsupported(memory)) return ctx.unsupported(id, memory.unsupported);
    const sorted = [...memory.perSandboxMiB].sort((a, b) => a - b);
    ctx.record(id, sorted[Math.floor((sorted.length - 1) / 2)]!);
  },
};
