/**
 * Flint's own API over the dead-letter store (no Lambda equivalent):
 *   GET  /flint/dlq?FunctionName=&Marker=&MaxItems=   list (oldest first)
 *   GET  /flint/dlq/{Id}                              one letter with its payload and last response
 *   POST /flint/dlq/{Id}/redrive                      back to the queue
 *   POST /flint/dlq/redrive?FunctionName=             every letter (of one function) back to the queue
 */
import type { FastifyInstance, FastifyRequest } from '../../api/index.ts';
import { errors, type Clock } from '../../shared/index.ts';
import { deadLetterDetail, deadLetterSummary } from '../dead-letter-view.ts';
import type { DeadLetterStore } from '../../storage/index.ts';
import { pathLabel, queryInteger, queryValue } from './wire.ts';

export interface DlqRouteDeps {
  readonly deadLetters: DeadLetterStore;
  readonly clock: Clock;
  /** Wakes the pollers after a redrive. */
  readonly notify: () => void;
}

function letterId(req: FastifyRequest): number {
  const raw = pathLabel(req, 'id');
  if (!/^\d+$/.test(raw)) throw errors.invalidParameter(`Dead letter id must be a positive integer, not '${raw}'.`);
  return Number(raw);
}

export function registerDlqRoute(app: FastifyInstance, deps: DlqRouteDeps): void {
  app.get('/flint/dlq', async (req) => {
    const limit = queryInteger(req, 'MaxItems', 'maxItems', 1, 1000) ?? 100;
    const marker = queryValue(req, 'Marker');
    const letters = await deps.deadLetters.list({ functionName: queryValue(req, 'FunctionName'), afterId: marker === undefined ? undefined : Number(marker), limit });
    const next = letters.length === limit ? String(letters.at(-1)!.id) : undefined;
    return { DeadLetters: letters.map(deadLetterSummary), ...(next === undefined ? {} : { NextMarker: next }) };
  });

  app.get('/flint/dlq/:id', async (req) => {
    const id = letterId(req);
    const letter = await deps.deadLetters.get(id);
    if (letter === undefined) throw errors.notFound(`Dead letter ${id} not found.`);
    return deadLetterDetail(letter);
  });

  app.post('/flint/dlq/:id/redrive', async (req) => {
    const id = letterId(req);
    if ((await deps.deadLetters.redrive(id, deps.clock.now())) === undefined) throw errors.notFound(`Dead letter ${id} not found.`);
    deps.notify();
    return { Redriven: 1 };
  });

  app.post('/flint/dlq/redrive', async (req) => {
    const n = await deps.deadLetters.redriveAll(queryValue(req, 'FunctionName'), deps.clock.now());
    if (n > 0) deps.notify();
    return { Redriven: n };
  });
}
