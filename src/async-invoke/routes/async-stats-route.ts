/** `GET /flint/async/stats`: the async queue's depth, ages, pollers and counters as JSON. */
import type { FastifyInstance } from '../../api/index.ts';
import type { AsyncStats } from '../async-stats.ts';

export function registerAsyncStatsRoute(app: FastifyInstance, stats: () => Promise<AsyncStats>): void {
  app.get('/flint/async/stats', async () => stats());
}
