/**
 * The declared states of one asynchronous event and the only moves between them:
 *
 *              enqueue (202 sent after commit)
 *   (none) ------------------------------------> Queued <--------------------------------+
 *                                                |   ^                                  |
 *                                take (lease)    |   | retry after a function error,    |
 *                                                v   | throttle, platform error,        |
 *                                              Leased  lease expiry / restart           |
 *                                               | | |                                   |
 *         success (OnSuccess record enqueued) --+ | +-- final failure, no destination   |
 *                                             | |                 |                     |
 *                                             v v                 v                     |
 *                                     Succeeded  Failed       DeadLettered --redrive-----+
 *                     (OnFailure record enqueued / sent to a queue, or the event sent to the DLQ)
 *
 * Queued and Leased live in the queue table; DeadLettered in the dead-letter
 * table; Succeeded and Failed events are gone (their records travel on as new
 * events for the destination function, or as messages already sent to an SQS
 * destination or dead-letter queue). Every move out of Leased commits in one
 * transaction with whatever it produces (destination event, dead letter, counters).
 */
import type { Logger } from '../shared/index.ts';

export type EventState = 'Queued' | 'Leased' | 'Succeeded' | 'Failed' | 'DeadLettered';

const ALLOWED: Readonly<Record<EventState, readonly EventState[]>> = {
  Queued: ['Leased'],
  Leased: ['Queued', 'Succeeded', 'Failed', 'DeadLettered'],
  Succeeded: [],
  Failed: [],
  DeadLettered: ['Queued'],
};

export class IllegalEventTransitionError extends Error {}

export function canMove(from: EventState, to: EventState): boolean {
  return ALLOWED[from].includes(to);
}

/** Checks and logs one move of an event; throws IllegalEventTransitionError for a move the diagram forbids. */
export function moveEvent(log: Logger, requestId: string, from: EventState, to: EventState, reason: string): void {
  if (!canMove(from, to)) throw new IllegalEventTransitionError(`async event ${requestId} cannot go from ${from} to ${to}`);
  log.debug({ requestId, from, to, reason }, 'async event state');
}
