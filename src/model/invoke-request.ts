/**
 * What an entry point (the Invoke route, InvokeAsync, the async pollers; later
 * function URLs and event sources) asks of the one invoke path, and what it gets
 * back. The entry point has already turned its wire format into these.
 */
import type { InvocationOutcome, ResponseSink } from './invocation.ts';
import type { ResolvedTarget } from './resolved-target.ts';

export type InvocationType = 'RequestResponse' | 'Event' | 'DryRun';

/**
 * Which door an invoke came through; it decides the payload checks:
 * `Invoke`, `InvokeWithResponseStream` and `FunctionUrl` (a request to a function URL, as its
 * payload format 2.0 event) 6 MB (1 MB for `Event`), `InvokeAsync` 256 KB,
 * `EventSourceMapping` (a batch of queue records an event source mapping's poller delivers) 6 MB,
 * `AsyncDelivery` none (the event was checked when it was accepted).
 */
export type InvokeEntry = 'Invoke' | 'InvokeWithResponseStream' | 'FunctionUrl' | 'InvokeAsync' | 'AsyncDelivery' | 'EventSourceMapping';

export interface InvokeRequest {
  readonly entry: InvokeEntry;
  /** Same id as the caller's `x-amzn-RequestId` (kept across the retries of an async event). */
  readonly requestId: string;
  /** As the caller gave it: name, partial ARN or full ARN, optionally qualified. */
  readonly functionName: string;
  readonly qualifier: string | undefined;
  readonly invocationType: InvocationType;
  /** The event as received; it must be JSON, and an empty one reaches the function as `{}`. */
  readonly payload: Buffer;
  /** ClientContext as the API takes it (base64 of a JSON object); used by `RequestResponse` only. */
  readonly clientContext?: string | undefined;
  /** Whether the caller asked for `LogType: Tail` (`RequestResponse` only). */
  readonly tailLog?: boolean | undefined;
  /**
   * Streams the response (`RequestResponse` only): called once the target is resolved and a
   * sandbox is about to run, it returns where the body goes as the function writes it.
   */
  readonly responseStream?: ((target: ResolvedTarget) => ResponseSink) | undefined;
}

export type InvokeResult =
  /** `DryRun`: the invoke would have been accepted. */
  | { readonly kind: 'dry-run'; readonly target: ResolvedTarget }
  /** `Event`: durably queued; the async pollers deliver it. */
  | { readonly kind: 'queued'; readonly target: ResolvedTarget }
  /** `RequestResponse`: the function ran (its own errors are in the outcome, never thrown). */
  | { readonly kind: 'completed'; readonly target: ResolvedTarget; readonly outcome: InvocationOutcome };
