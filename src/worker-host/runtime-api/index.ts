/**
 * Runtime API (2018-06-01): the HTTP contract between a sandbox's runtime and its worker host,
 * plus Flint's private specialization step for pre-started cells. See runtime-api-server.ts
 * for the listener model and runtime-session.ts for the per-sandbox state machine.
 */
export { RuntimeApiServer, DEFAULT_RUNTIME_API_PORT, type RuntimeApiServerOptions } from './runtime-api-server.ts';
export type { RuntimeSessionHandle, RuntimeSessionState } from './runtime-session.ts';
export {
  RuntimeInitError, platformErrorPayload,
  type Invocation, type RuntimeInit, type SessionFailure,
} from './invocation.ts';
export { MAX_RESPONSE_PAYLOAD_BYTES, MAX_STREAMED_RESPONSE_BYTES } from './rendering.ts';
export { SPECIALIZE_PATH } from './flint-specialize.ts';
