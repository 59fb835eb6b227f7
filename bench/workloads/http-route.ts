/**
 * Calls over HTTP, as browsers, curl and webhooks call functions: Flint's function URL against
 * the peer's HTTP API route (serverless-offline `httpApi`, payload 2.0) for the same handler, and the
 * baseline's plain server as the floor.
 * The client is a raw keep-alive `node:http` agent in this process (not the SDK), so the figure
 * is the server's.
 */
import { Agent, request } from 'node:http';
import { summarize } from '../lib/stats.ts';
import { loadFor } from '../lib/timed-load.ts';
import { isUnsupported, type HttpRoute } from '../targets/target.ts';
import { figureId, type Workload } from './workload.ts';

const ID = 'http-route';
const LATENCY = [['p50', 'p50'], ['p99', 'p99']] as const;
const BODY = Buffer.from(JSON.stringify({ from: 'http' }));

/** One POST through `agent`; resolves with the status once the whole answer has arrived (rejects on a non-2xx). */
function call(route: HttpRoute, agent: Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(route.url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': BODY.length, ...route.headers } }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => ((res.statusCode ?? 0) < 300 ? resolve() : reject(new Error(`${route.url} answered ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(BODY);
  });
}

export const httpRoute: Workload = {
  id: ID,
  title: 'HTTP route (Flint function URL vs the peer httpApi route)',
  method: (p) =>
    `A raw keep-alive node:http client POSTs a small JSON body to the function's HTTP route (Flint: its function URL, AuthType NONE; the peer: an httpApi event, payload format 2.0; the baseline: its plain server, which calls the handler in-process with the body as the event) ${p.latencyInvokes} times in a row after ${p.latencyWarmupInvokes} untimed calls (latency), then with ${Math.max(...p.throughputConcurrency)} callers in a closed loop for ${p.throughputMs / 1000} s (requests per second).`,
  figures: (p) =>
    p.kinds.flatMap((kind) => [
      ...LATENCY.map(([metric, label]) => ({ id: figureId(ID, metric, kind), label: `HTTP route latency ${label}`, unit: 'ms', better: 'lower' as const, kind })),
      { id: figureId(ID, 'rps', kind), label: `HTTP route requests/s, concurrency ${Math.max(...p.throughputConcurrency)}`, unit: 'req/s', better: 'higher' as const, kind },
    ]),
  async run(ctx) {
    const route = await ctx.target.httpRoute(ctx.kind);
    if (isUnsupported(route)) {
      for (const f of httpRoute.figures(ctx.params).filter((f) => f.kind === ctx.kind)) ctx.unsupported(f.id, route.unsupported);
      return;
    }
    const concurrency = Math.max(...ctx.params.throughputConcurrency);
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    try {
      for (let i = 0; i < ctx.params.latencyWarmupInvokes; i++) await call(route, agent);
      const samples: number[] = [];
      for (let i = 0; i < ctx.params.latencyInvokes; i++) {
        const t = performance.now();
        await call(route, agent);
        samples.push(performance.now() - t);
      }
      const s = summarize(samples);
      for (const [metric] of LATENCY) ctx.record(figureId(ID, metric, ctx.kind), s[metric]);
      for (let i = 0; i < concurrency * 4; i++) await Promise.all(Array.from({ length: concurrency }, () => call(route, agent)));
      const { completed, wallMs } = await loadFor(ctx.params.throughputMs, concurrency, () => call(route, agent));
      ctx.record(figureId(ID, 'rps', ctx.kind), (completed / wallMs) * 1000);
    } finally {
      agent.destroy();
    }
  },
};
