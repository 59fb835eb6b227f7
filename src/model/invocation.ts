/** One invocation as it travels from the front end to a sandbox and back. */
export interface InvocationRequest {
  /** Same id as the caller's `x-amzn-RequestId`, the runtime's `Lambda-Runtime-Aws-Request-Id` and the log lines. */
  readonly requestId: string;
  readonly payload: Buffer;
  /** The ARN as invoked (unqualified, or with the version / alias used). */
  readonly invokedFunctionArn: string;
  /** Decoded `X-Amz-Client-Context` JSON text, if given. */
  readonly clientContext?: string | undefined;
  /** Whether the caller asked for `LogType: Tail`. */
  readonly tailLog: boolean;
}

export type FunctionErrorKind = 'Unhandled';

export interface InvocationOutcome {
  /** The function's result, or the error document when `functionError` is set. */
  readonly payload: Buffer;
  readonly functionError?: FunctionErrorKind | undefined;
  /** Error type for metrics and async retries (`Sandbox.Timedout`, `Runtime.ExitError`, a user errorType...). */
  readonly errorType?: string | undefined;
  /** Base64 of the last 4 KB of this invocation's log, when `tailLog` was asked. */
  readonly logResult?: string | undefined;
  readonly durationMs: number;
  /** Set when this invocation paid for a cold start. */
  readonly initDurationMs?: number | undefined;
}
