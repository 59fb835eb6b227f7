/**
 * The live console (`/console`): a page that reads Flint's own HTTP APIs, and the few routes
 * that exist for it alone:
 *   GET /console                  the page
 *   GET /console/app/{file}       its modules and styles (src/console/assets/)
 *   GET /console/vendor/{file}    its libraries' browser builds (Preact, htm, uPlot; from node_modules)
 *   GET /console/events           Server-Sent Events: a `snapshot` (status + invocation series) every second and on change
 *   GET /console/api/functions    functions with versions, aliases, concurrency and URL, in one answer
 * Everything else the page shows or does (log tail, dead letters, redrive) goes to the APIs that
 * `flint logs` and `flint dlq` use. Read-only except redrive, which is the dead-letter API's own.
 */
import type { FastifyInstance, FastifyReply } from '../api/index.ts';
import type { Clock, Logger } from '../shared/index.ts';
import { loadConsoleAssets, type Asset } from './console-assets.ts';
import { functionsOverview } from './functions-overview.ts';
import type { InvocationSeries } from './invocation-series.ts';
import { LiveStream } from './live-stream.ts';

export interface ConsoleDeps {
  /** The same picture `GET /flint/status` answers (hosts, sandboxes, pool, concurrency, async queue). */
  readonly status: () => Promise<Record<string, unknown>>;
  /** Per-second counts and latencies, fed by the invoke path. */
  readonly series: InvocationSeries;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How often a snapshot is pushed when nothing changes (default 1000 ms). */
  readonly pushEveryMs?: number;
}

export function registerConsoleRoutes(app: FastifyInstance, deps: ConsoleDeps): void {
  const assets = loadConsoleAssets();
  const live = new LiveStream({
    snapshot: async () => ({ atMs: deps.clock.now(), status: await deps.status(), series: deps.series.snapshot() }),
    everyMs: deps.pushEveryMs ?? 1000,
    settleMs: 100,
    logger: deps.logger,
  });
  const stopObserving = deps.series.onChange(() => live.changed());
  // Open event streams would hold the server's close up to its grace period: end them first.
  app.addHook('preClose', (done) => {
    stopObserving();
    live.close();
    done();
  });

  const send = (reply: FastifyReply, asset: Asset | undefined) =>
    asset === undefined
      ? reply.code(404).type('text/plain; charset=utf-8').send('Not found')
      : reply.type(asset.type).header('cache-control', 'no-cache').send(asset.body);
  app.get('/console', async (_req, reply) => send(reply, assets.get('/console/app/index.html')));
  app.get('/console/app/:file', async (req, reply) => send(reply, assets.get(`/console/app/${(req.params as { file: string }).file}`)));
  app.get('/console/vendor/:file', async (req, reply) => send(reply, assets.get(`/console/vendor/${(req.params as { file: string }).file}`)));
  app.get('/console/api/functions', async () => ({ Functions: await functionsOverview(app) }));
  app.get('/console/events', (_req, reply) => {
    reply.hijack();
    live.add(reply.raw);
  });
}
