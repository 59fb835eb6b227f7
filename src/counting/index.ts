/** Counting service: account and per-function concurrency, leases, Throttled with Lambda's reason. */
export { CountingService, type Lease, type CountingOptions, type ReservationOptions, type UnreservedShare } from './counting-service.ts';
export { decideAdmission, canReserve, type AdmissionRefusal, type ConcurrencySnapshot } from './concurrency-decision.ts';
