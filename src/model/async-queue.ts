/**
 * What the internal queue of asynchronous events takes and tells (its port is
 * `EventQueue` in storage/ports.ts): settlements of a lease, counters, snapshots,
 * and the dead letters an event can end as.
 */
import type { AttemptResponse, FailureCondition, NewAsyncEvent, StoredEvent } from './async-event.ts';

/** Cumulative counters kept with the queue (they survive restarts). */
export type AsyncCounter =
  | 'accepted'
  | 'succeeded'
  | 'retried'
  | 'throttled'
  | 'platformErrors'
  | 'droppedByAge'
  | 'deadLettered'
  | 'sentToDestination'
  | 'redriven'
  /** Failed events sent to the function's DeadLetterConfig queue. */
  | 'sentToDeadLetterQueue'
  /** Lambda's DestinationDeliveryFailures: a record an SQS destination did not take (queue gone). */
  | 'destinationDeliveryFailures'
  /** Lambda's DeadLetterErrors: an event the dead-letter queue did not take. */
  | 'deadLetterErrors';

export const ASYNC_COUNTERS: readonly AsyncCounter[] = [
  'accepted',
  'succeeded',
  'retried',
  'throttled',
  'platformErrors',
  'droppedByAge',
  'deadLettered',
  'sentToDestination',
  'redriven',
  'sentToDeadLetterQueue',
  'destinationDeliveryFailures',
  'deadLetterErrors',
];

/** Back to the queue, ready again at `visibleAtMs`. */
export interface Requeue {
  readonly kind: 'requeue';
  readonly visibleAtMs: number;
  /** Whether this attempt reached the function (adds to approximateInvokeCount). */
  readonly invoked: boolean;
  /** Whether it ended in a function error (adds to the retries used). */
  readonly functionError: boolean;
  /** Kept for the record of a later failure; undefined keeps the previous one. */
  readonly response: AttemptResponse | undefined;
  readonly counters: readonly AsyncCounter[];
}

/** Out of the queue for good: acked, failed to a destination, or dead-lettered. */
export interface Finish {
  readonly kind: 'finish';
  readonly to: 'Succeeded' | 'Failed' | 'DeadLettered';
  /** A destination record to enqueue in the same transaction. */
  readonly forward: NewAsyncEvent | undefined;
  /** Set when `to` is DeadLettered. */
  readonly deadLetter: { readonly condition: FailureCondition; readonly approximateInvokeCount: number; readonly response: AttemptResponse | undefined } | undefined;
  readonly counters: readonly AsyncCounter[];
}

export type Settlement = Requeue | Finish;

export interface FunctionDepth {
  readonly functionName: string;
  readonly depth: number;
  readonly oldestAcceptedMs: number;
}

export interface QueueSnapshot {
  /** Events in the queue: waiting, delayed for a retry, or being delivered. */
  readonly depth: number;
  /** Of those, ready to deliver now. */
  readonly ready: number;
  /** Of those, leased to a poller right now. */
  readonly inFlight: number;
  readonly oldestAcceptedMs: number | undefined;
  readonly byFunction: readonly FunctionDepth[];
  readonly deadLetters: number;
  readonly counters: Readonly<Record<AsyncCounter, number>>;
}

/** An event that failed for good with no OnFailure destination to take its record. */
export interface DeadLetter extends StoredEvent {
  readonly failedMs: number;
  readonly condition: FailureCondition;
  readonly approximateInvokeCount: number;
}

export interface DeadLetterQuery {
  readonly functionName?: string | undefined;
  /** Only letters with a larger id (paging). */
  readonly afterId?: number | undefined;
  readonly limit: number;
}
