/** The internal queue's port (moves to storage/ports.ts). */
import type { LeasedEvent, NewAsyncEvent, QueueSnapshot, Settlement } from '../model/index.ts';

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
