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
  /**
   * Where a streamed response goes as the runtime writes it (InvokeWithResponseStream). Absent:
   * a streamed response is buffered into the outcome's payload (6 MB limit), as Lambda does for Invoke.
   */
  readonly responseSink?: ResponseSink | undefined;
}

/**
 * Receives the body of a streamed response, in order, while the function runs. The outcome still
 * settles the invocation: with an empty payload when the stream ended well, with the error
 * document and `functionError` when it ended with an error (trailers, timeout, runtime exit),
 * and with the whole payload when the runtime answered without streaming (nothing was written).
 */
export interface ResponseSink {
  /** The response's `Content-Type` as the runtime declared it, once, before the first piece (or the end). */
  begin?(contentType: string | undefined): void;
  /** One piece of the body; a returned promise holds the runtime back until it settles (backpressure). */
  write(chunk: Buffer): Promise<void> | undefined;
}

export type FunctionErrorKind = 'Unhandled';

/**
 * How one invocation ended, as data (function errors are never thrown): what the runtime
 * answered (or the platform error that replaced its answer), and what the worker host
 * adds (log tail, durations). The one outcome type from the Runtime API session to the
 * front end; the session fills the FunctionResult part.
 */
export interface InvocationOutcome {
  /** The function's result, or the error document when `functionError` is set. */
  readonly payload: Buffer;
  /** The runtime's `Content-Type` for a response; `application/json` when absent. */
  readonly contentType?: string | undefined;
  readonly functionError?: FunctionErrorKind | undefined;
  /** Error type for metrics and async retries (`Sandbox.Timedout`, `Runtime.ExitError`, a user errorType...). */
  readonly errorType?: string | undefined;
  /** Base64 of the last 4 KB of this invocation's log, when `tailLog` was asked. */
  readonly logResult?: string | undefined;
  readonly durationMs: number;
  /** Set when this invocation paid for a cold start. */
  readonly initDurationMs?: number | undefined;
  /** True when the response body went to the request's `responseSink` (so `payload` holds only an error document, if any). */
  readonly streamed?: boolean | undefined;
}

/** The part of an outcome the runtime decides: its response, or an error document with its type. */
export type FunctionResult = Pick<InvocationOutcome, 'payload' | 'contentType' | 'functionError' | 'errorType' | 'streamed'>;

/** A function error result (`X-Amz-Function-Error: Unhandled`). */
export function functionError(errorType: string, payload: Buffer): FunctionResult {
  return { payload, functionError: 'Unhandled', errorType };
}
