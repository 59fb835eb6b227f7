/**
 * The two handlers every workload runs, as one CommonJS file each, loaded unchanged
 * by Flint (in a sandbox), by the peer (in a worker thread) and by the baseline
 * (in-process). Both answer with the id of the module instance that served the
 * invoke (one per sandbox / worker thread / process) and the time the handler
 * started; an event may ask the handler to log an execution mark (async workload;
 * the queue workload: each SQS record whose body carries one)
 * or to hold its instance for a while (scale and memory workloads).
 */
import { pbkdf2Sync } from 'node:crypto';

export type HandlerKind = 'hello' | 'cpu';
export const HANDLER_KINDS: readonly HandlerKind[] = ['hello', 'cpu'];

/** What a handler answers. */
export interface HandlerReply {
  readonly hello: string;
  readonly instance: string;
  readonly startedMs: number;
}

/**
 * Fixed CPU work: PBKDF2-SHA256 with `iterations` rounds. It runs in native code, so
 * it costs the same at every JIT tier (a JavaScript loop ran 4x slower until V8
 * optimised it, which made the work depend on the platform's history).
 */
function burn(iterations: number): void {
  if (iterations > 0) pbkdf2Sync('flint', 'bench', iterations, 32, 'sha256');
}

export function handlerSource(kind: HandlerKind, cpuIterations: number): string {
  const iterations = kind === 'cpu' ? cpuIterations : 0;
  return `'use strict';
const { pbkdf2Sync, randomUUID } = require('node:crypto');
const instance = randomUUID();
exports.handler = async (event) => {
  const startedMs = Date.now();
  ${iterations > 0 ? `pbkdf2Sync('flint', 'bench', ${iterations}, 32, 'sha256');` : '// no work'}
  if (event && event.mark) console.log('BENCH-EXEC ' + event.mark + ' ' + event.i + ' ' + startedMs);
  if (event && event.Records) for (const r of event.Records) if (r.body.startsWith('{"mark"')) { const b = JSON.parse(r.body); console.log('BENCH-EXEC ' + b.mark + ' ' + b.i + ' ' + startedMs); }
  if (event && event.holdMs) await new Promise((resolve) => setTimeout(resolve, event.holdMs));
  return { hello: 'world', instance, startedMs };
};
`;
}

/** How many PBKDF2 iterations take `targetMs` on this machine (median of several timings in this process). */
export function calibrateCpuIterations(targetMs = 5): { iterations: number; measuredMs: number } {
  const probe = 10_000;
  const median = (n: number, runs: number) => {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      burn(n);
      times.push(performance.now() - t);
    }
    return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
  };
  median(probe, 5);
  const iterations = Math.round((targetMs / median(probe, 15)) * probe);
  return { iterations, measuredMs: median(iterations, 9) };
}
