import type { HandlerKind } from './handler-source.ts';

/** Every knob of a benchmark run, fixed by its mode (full or quick) and printed in the report. */
export interface BenchParams {
  readonly mode: 'full' | 'quick';
  /** The handlers every workload runs with (quick mode: hello only). */
  readonly kinds: readonly HandlerKind[];
  /** Whole-suite repetitions; every figure is the median over them, with min and max. */
  readonly repetitions: number;
  readonly latencyWarmupInvokes: number;
  readonly latencyInvokes: number;
  readonly throughputConcurrency: readonly number[];
  readonly throughputMs: number;
  readonly coldSamples: number;
  readonly scaleTo: number;
  /** How long each scale-up invoke keeps its sandbox busy, so every invoke needs its own. */
  readonly scaleHoldMs: number;
  readonly memorySandboxes: number;
  /** How long each memory-workload invoke holds its sandbox, so every invoke gets its own. */
  readonly memoryHoldMs: number;
  /** How long sandboxes sit idle before their memory is read. */
  readonly memorySettleMs: number;
  readonly asyncEvents: number;
  readonly asyncClients: number;
  /** Messages the queue workload sends (SendMessageBatch, 10 per call), and how many callers send them. */
  readonly sqsMessages: number;
  readonly sqsSenders: number;
  /** MemorySize of Flint's functions (1769 MB = one full vCPU). */
  readonly functionMemoryMb: number;
  /** Flint's --host-memory-budget-mb: memory limits are caps, so concurrency 32 and the scale-up fit. */
  readonly hostMemoryBudgetMb: number;
  /** The CPU handler's PBKDF2 iterations, calibrated at the start of the run to ~5 ms. */
  readonly cpuIterations: number;
  readonly cpuMeasuredMs: number;
}

export function benchParams(quick: boolean, cpu: { iterations: number; measuredMs: number }): BenchParams {
  const common = { functionMemoryMb: 1769, hostMemoryBudgetMb: 200_000, cpuIterations: cpu.iterations, cpuMeasuredMs: cpu.measuredMs };
  if (quick) {
    return { ...common, mode: 'quick', kinds: ['hello'], repetitions: 1, latencyWarmupInvokes: 10, latencyInvokes: 40, throughputConcurrency: [1, 8], throughputMs: 300,
      coldSamples: 2, scaleTo: 5, scaleHoldMs: 800, memorySandboxes: 2, memoryHoldMs: 500, memorySettleMs: 300, asyncEvents: 40, asyncClients: 8, sqsMessages: 500, sqsSenders: 4 };
  }
  return { ...common, mode: 'full', kinds: ['hello', 'cpu'], repetitions: 3, latencyWarmupInvokes: 50, latencyInvokes: 250, throughputConcurrency: [1, 8, 32], throughputMs: 1250,
    coldSamples: 8, scaleTo: 50, scaleHoldMs: 3000, memorySandboxes: 8, memoryHoldMs: 1000, memorySettleMs: 1000, asyncEvents: 600, asyncClients: 16, sqsMessages: 10_000, sqsSenders: 8 };
}
