/**
 * The internal queue of asynchronous events (the port the pollers and the front
 * end use; SqliteEventQueue is the embedded implementation, a shared database
 * or broker would be another). At-least-once: an event leaves the queue only in
 * the transaction that settles its lease; a lease that is never settled (the
 * process died) makes the event ready again when it expires.
 */
import type { AttemptResponse, FailureCondition, LeasedEvent, NewAsyncEvent } from './async-event.ts';

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
  | 'redriven';

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

export interface EventQueue {
  /** Commits the event; when this returns it survives a crash. Returns its queue id. */
  enqueue(event: NewAsyncEvent, nowMs: number): number;
  /**
   * Events ready now (queued and due, or leased with an expired lease) per function that has any,
   * each count capped at `cap` (the scheduler never needs more than the number of pollers).
   */
  readyByFunction(nowMs: number, cap: number): Map<string, number>;
  /** Leases the oldest ready event of a function for `leaseMs`; undefined when it has none ready. */
  take(functionName: string, nowMs: number, leaseMs: number): LeasedEvent | undefined;
  /**
   * Applies a settlement in one transaction, if the lease is still this one.
   * Returns false (and changes nothing) when the lease was lost.
   */
  settle(event: LeasedEvent, settlement: Settlement, nowMs: number): boolean;
  /** Makes every leased event ready now (start-up, when this process is the queue's only user). */
  releaseAllLeases(nowMs: number): number;
  /** The earliest future time at which an event becomes ready, if any. */
  nextReadyMs(nowMs: number): number | undefined;
  snapshot(nowMs: number): QueueSnapshot;
}
