/** Counting service: account and per-function concurrency, leases, 429 with Lambda's Reason. */
export { CountingService, type Lease, type CountingOptions, type ReservationOptions } from './counting-service.ts';
export { decideAdmission, canReserve, type ThrottleReason, type ConcurrencySnapshot } from './concurrency-decision.ts';
