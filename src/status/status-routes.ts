import type { FastifyInstance } from '../api/index.ts';
import type { FlintMetrics } from './flint-metrics.ts';

/** A JSON-able picture of the running platform (hosts, sandboxes, pool, concurrency, queues). */
export type StatusSnapshot = Record<string, unknown>;

export interface StatusRouteDeps {
  readonly status: () => Promise<StatusSnapshot>;
  readonly metrics: FlintMetrics;
}

/** `GET /flint/status` (JSON for `flint status` and people) and `GET /metrics` (Prometheus text). */
export function registerStatusRoutes(app: FastifyInstance, deps: StatusRouteDeps): void {
  app.get('/flint/status', async (_req, reply) => reply.type('application/json').send(JSON.stringify(await deps.status())));
  app.get('/metrics', async (_req, reply) => reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()));
}
