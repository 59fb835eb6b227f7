/** Front end: the one invoke path (InvokeService: resolve, checks, lease, claim), the Invoke and InvokeWithResponseStream routes. */
export { registerInvokeRoute, type InvokeRouteDeps } from './invoke-route.ts';
export { registerInvokeStreamRoute, type InvokeStreamRouteDeps } from './invoke-stream-route.ts';
export { InvokeService, type InvokeServiceDeps } from './invoke-service.ts';
export type { FunctionResolver, CountingPort, WorkersPort, SandboxClaim, Lease, EventQueuePort, InvokeObserver } from './ports.ts';
export { MAX_SYNC_PAYLOAD_BYTES, MAX_ASYNC_PAYLOAD_BYTES, MAX_INVOKE_ASYNC_PAYLOAD_BYTES } from './invoke-limits.ts';
