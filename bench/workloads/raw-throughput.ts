/**
 * Warm throughput measured from outside the SDK: autocannon, a raw keep-alive HTTP load
 * generator, POSTs Lambda's Invoke request (`/2015-03-31/functions/NAME/invocations`) to each
 * target's endpoint. The SDK client tops out near 2,000 invokes/s on two cores; this figure is the
 * server's, not the client's.
 */
import autocannon from 'autocannon';
import { warmInvokeUrl } from '../lib/timed-load.ts';
import type { BenchFunction } from '../targets/target.ts';
import { figureId, type Workload } from './workload.ts';

const ID = 'raw-throughput';
/** Untimed invokes per connection before each timed run. */
const WARMUP_INVOKES = 8;

/** The Invoke URL of `fn` on its target (the endpoint the SDK client was given). */
async function invokeUrl(fn: BenchFunction): Promise<string> {
  const ep = await fn.client.config.endpoint?.();
  if (ep === undefined) throw new Error(`the client of ${fn.name} has no endpoint`);
  return `${ep.protocol}//${ep.hostname}:${ep.port}/2015-03-31/functions/${encodeURIComponent(fn.name)}/invocations`;
}

interface RawRun {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
}

/** `connections` keep-alive connections, each sending its next request when the answer arrives, for `seconds`. */
async function run(url: string, connections: number, seconds: number): Promise<RawRun> {
  const result = await autocannon({ url, method: 'POST', body: '{}', headers: { 'content-type': 'application/json' }, connections, pipelining: 1, duration: seconds });
  const failed = result.errors + result.timeouts + result.non2xx;
  if (failed > 0) throw new Error(`${url}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers of ${result.requests.total}`);
  return { perSecond: result.requests.total / (result.duration || seconds), p50: result.latency.p50, p99: result.latency.p99 };
}

export const rawThroughput: Workload = {
  id: ID,
  title: 'Warm throughput, raw HTTP load (autocannon)',
  method: (p) =>
    `autocannon keeps N connections open to the target's endpoint and POSTs Lambda's Invoke request with an empty event on each as soon as its answer arrives (no SDK, no signing), for ${Math.max(1, Math.round(p.throughputMs / 1000))} s after ${WARMUP_INVOKES} untimed invokes per caller at the same concurrency (closed loops that read every answer, so every sandbox the concurrency needs has started). Invokes per second, and the latency autocannon measured (ms). It runs in the benchmark process, on the same 2 cores as the server.`,
  figures: (p) =>
    p.kinds.flatMap((kind) =>
      p.throughputConcurrency
        .filter((c) => c > 1)
        .flatMap((c) => [
          { id: figureId(ID, `c${c}`, kind), label: `raw throughput, concurrency ${c}`, unit: 'invokes/s', better: 'higher' as const, kind },
          { id: figureId(ID, `c${c}-p99`, kind), label: `raw latency p99, concurrency ${c}`, unit: 'ms', better: 'lower' as const, kind },
        ]),
    ),
  async run(ctx) {
    const url = await invokeUrl(await ctx.target.warmFunction(ctx.kind));
    const seconds = Math.max(1, Math.round(ctx.params.throughputMs / 1000));
    for (const c of ctx.params.throughputConcurrency.filter((n) => n > 1)) {
      await warmInvokeUrl(url, c, WARMUP_INVOKES);
      const r = await run(url, c, seconds);
      ctx.record(figureId(ID, `c${c}`, ctx.kind), r.perSecond);
      ctx.record(figureId(ID, `c${c}-p99`, ctx.kind), r.p99);
    }
  },
};
