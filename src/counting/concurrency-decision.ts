/**
 * The counting service's one decision, as a pure function over a snapshot:
 * may one more execution of this function start now, and if not, why not.
 */
import type { ThrottleReason } from '../model/index.ts';

/** The reasons the counting service refuses for. */
export type AdmissionRefusal = Extract<ThrottleReason, 'ReservedFunctionConcurrentInvocationLimitExceeded' | 'ConcurrentInvocationLimitExceeded'>;

export interface ConcurrencySnapshot {
  /** Account-wide concurrent execution quota. */
  readonly accountLimit: number;
  /** Sum of every function's reserved concurrency. */
  readonly totalReserved: number;
  /** Executions in flight of functions without a reservation. */
  readonly unreservedInUse: number;
  /** This function's reservation, if it has one. */
  readonly reserved: number | undefined;
  /** This function's executions in flight. */
  readonly functionInUse: number;
  /**
   * In a cluster, the part of the unreserved pool this front end holds (its share of the
   * account, renewed in the database); undefined when one process counts for the account.
   */
  readonly unreservedShare?: number | undefined;
}

export type ConcurrencyDecision = { readonly admit: true } | { readonly admit: false; readonly reason: AdmissionRefusal };

export function decideAdmission(s: ConcurrencySnapshot): ConcurrencyDecision {
  if (s.reserved !== undefined) {
    return s.functionInUse < s.reserved ? { admit: true } : { admit: false, reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' };
  }
  const unreservedPool = Math.min(s.accountLimit - s.totalReserved, s.unreservedShare ?? Infinity);
  return s.unreservedInUse < unreservedPool ? { admit: true } : { admit: false, reason: 'ConcurrentInvocationLimitExceeded' };
}

/**
 * Whether a function may reserve `requested` (replacing its current reservation)
 * while leaving at least `minUnreserved` to everyone else.
 */
export function canReserve(accountLimit: number, minUnreserved: number, totalReserved: number, current: number | undefined, requested: number): boolean {
  return accountLimit - (totalReserved - (current ?? 0) + requested) >= minUnreserved;
}
