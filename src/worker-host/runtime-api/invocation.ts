/**
 * The typed objects the worker host exchanges with a Runtime API session. Wire
 * formats stay in the route files; these are the domain side of them.
 */
import type { ResponseSink } from '../../model/index.ts';

/** One invocation handed to a sandbox's runtime through `GET /runtime/invocation/next`. */
export interface Invocation {
  /** Request id (UUID); becomes `Lambda-Runtime-Aws-Request-Id` and the id in `/response` and `/error` paths. */
  readonly requestId: string;
  /** Event bytes, delivered verbatim as the body of `/next`. */
  readonly payload: Buffer;
  /** Absolute deadline, Unix epoch milliseconds (`Lambda-Runtime-Deadline-Ms`). */
  readonly deadlineMs: number;
  /** The ARN as invoked: unqualified, `:$LATEST`, `:ALIAS` or `:VERSION` (`Lambda-Runtime-Invoked-Function-Arn`). */
  readonly invokedFunctionArn: string;
  /** Base64-decoded `X-Amz-Client-Context` (JSON text), if any. */
  readonly clientContext?: string | undefined;
  /** Cognito identity JSON text, if any. */
  readonly cognitoIdentity?: string | undefined;
  /** X-Ray trace header value (`Root=...;Parent=...;Sampled=...`), if any. */
  readonly traceId?: string | undefined;
  /** Tenant id (`Lambda-Runtime-Aws-Tenant-Id`), if any. */
  readonly tenantId?: string | undefined;
  /** Content type of the payload; `application/json` when absent. */
  readonly contentType?: string | undefined;
  /** Where a streamed `/response` body goes as it arrives; absent: it is buffered (6 MB). */
  readonly sink?: ResponseSink | undefined;
}

/** What `session.specialize` delivers to a pre-started, function-agnostic runtime. */
export interface RuntimeInit {
  /**
   * The complete function environment (see `buildFunctionEnvironment`). The runtime merges it over
   * the cell's base environment; `LAMBDA_TASK_ROOT` names the code directory it changes to.
   */
  readonly env: Readonly<Record<string, string>>;
  /** The function's `Handler` (also in `env._HANDLER`). */
  readonly handler: string;
}

/** Why a session can no longer serve: the process exited, was killed, timed out... */
export interface SessionFailure {
  /** Platform error type, e.g. `Runtime.ExitError`, `Runtime.OutOfMemory`, `Sandbox.Timedout`. */
  readonly errorType: string;
  /** Reason without the request id, e.g. `Runtime exited with error: exit status 1`. */
  readonly errorMessage: string;
}

/** `ready()` rejects with this when the runtime's init phase failed. */
export class RuntimeInitError extends Error {
  readonly errorType: string;
  /** The error document to serve as the payload of the invocation that waited for this init. */
  readonly payload: Buffer;

  constructor(errorType: string, payload: Buffer) {
    super(`runtime init failed: ${errorType}`);
    this.name = 'RuntimeInitError';
    this.errorType = errorType;
    this.payload = payload;
  }
}

/**
 * Lambda's payload for a platform-generated function error:
 * `{"errorType":"Runtime.ExitError","errorMessage":"RequestId: <id> Error: Runtime exited ..."}`.
 * Without a request id (an init failure before any invocation) the message is the bare reason.
 */
export function platformErrorPayload(requestId: string | undefined, errorType: string, errorMessage: string): Buffer {
  const message = requestId === undefined ? errorMessage : `RequestId: ${requestId} Error: ${errorMessage}`;
  return Buffer.from(JSON.stringify({ errorType, errorMessage: message }));
}
