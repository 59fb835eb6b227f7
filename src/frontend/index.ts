/** Front end: the Invoke operation (payload limits, qualifier resolution, lease, claim, render). */
export { registerInvokeRoute, type InvokeRouteDeps } from './invoke-route.ts';
export { InvokeService, type InvokeServiceDeps, type InvokeObserver } from './invoke-service.ts';
export type { FunctionResolver, ResolvedTarget } from './ports.ts';
export { MAX_SYNC_PAYLOAD_BYTES, MAX_ASYNC_PAYLOAD_BYTES } from './invoke-limits.ts';
