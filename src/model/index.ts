/** Domain types shared between components, and the domain errors. No behaviour lives here. */
export * from './function-config.ts';
export * from './invocation.ts';
export * from './resolved-target.ts';
export * from './invoke-request.ts';
export * from './domain-errors.ts';
export * from './worker-host-port.ts';
export * from './dead-letter-summary.ts';
export * from './async-event.ts';
export * from './async-queue.ts';
export * from './stored-records.ts';
export * from './function-url.ts';
export * from './sqs-records.ts';
export * from './event-source-mapping.ts';
export * from './layer.ts';
