/** Every workload, in the order each target runs them. */
import { asyncThroughput } from './async-throughput.ts';
import { coldStart } from './cold-start.ts';
import { httpRoute } from './http-route.ts';
import { idleMemory } from './idle-memory.ts';
import { queueThroughput } from './queue-throughput.ts';
import { rawThroughput } from './raw-throughput.ts';
import { scaleUp } from './scale-up.ts';
import { warmLatency } from './warm-latency.ts';
import { warmThroughput } from './warm-throughput.ts';
import type { Workload } from './workload.ts';

export const WORKLOADS: readonly Workload[] = [warmLatency, warmThroughput, rawThroughput, httpRoute, asyncThroughput, queueThroughput, scaleUp, coldStart, idleMemory];
export type { Workload, WorkloadContext, FigureSpec, Better } from './workload.ts';
export { benchParams, type BenchParams } from './bench-params.ts';
export { HANDLER_KINDS, handlerSource, calibrateCpuIterations, type HandlerKind } from './handler-source.ts';
