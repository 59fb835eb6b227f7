/** Front end: the one invoke path (InvokeService: resolve, checks, lease, claim), the Invoke and InvokeWithResponseStream routes, the invoke path's warm-up before the API listens. */
export { registerInvokeRoute, type InvokeRouteDeps } from './invoke-route.ts';
export { registerInvokeStreamRoute, type InvokeStreamRouteDeps } from './invoke-stream-route.ts';
export { InvokeService, type InvokeServiceDeps } from './invoke-service.ts';
export { OwnerInvoker, registerForwardedInvokeRoute, type ForwardedInvokeRouteDeps } from './owner-forwarding.ts';
export type { FunctionResolver, CountingPort, WorkersPort, SandboxClaim, Lease, EventQueuePort, InvokeObserver, OwnerRouting } from './ports.ts';
export { MAX_SYNC_PAYLOAD_BYTES, MAX_ASYNC_PAYLOAD_BYTES, MAX_INVOKE_ASYNC_PAYLOAD_BYTES } from './invoke-limits.ts';
export { warmUpInvokePath, invokeServiceDoor, localWarmUp, unobservedWarmUp, WarmUpResolver, WARM_UP_FUNCTION, type WarmUpDeps, type WarmUpDoor, type WarmUpReport, type WarmUpCode } from './warm-up.ts';
export { openApiDoor, type WarmUpSigner } from './warm-up-door.ts';
