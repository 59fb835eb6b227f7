/**
 * Queues: Flint's SQS-compatible queue service (JSON and query protocols on Flint's endpoint,
 * durable in Flint's storage) and the ports other components consume it through.
 */
export type * from './ports.ts';
export { QueueService, RECHECK_MS, type QueueServiceDeps } from './queue-service.ts';
export { registerSqsApi } from './sqs-api-route.ts';
