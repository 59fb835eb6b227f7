/**
 * The asynchronous invocation as Flint keeps it: one durable event per accepted
 * `Event` invoke (or destination delivery, or redrive), and what the pollers
 * learn about it while they deliver it.
 */

/** Why an event entered the queue. */
export type EventOrigin = 'invoke' | 'destination' | 'redrive';

/** What a poller needs to enqueue an event; committed before the caller gets its 202. */
export interface NewAsyncEvent {
  /** Kept across retries (Lambda reuses the request id of an async event on every attempt). */
  readonly requestId: string;
  readonly functionName: string;
  /** The qualifier as invoked (version or alias); undefined for an unqualified invoke. */
  readonly qualifier: string | undefined;
  readonly payload: Buffer;
  readonly origin: EventOrigin;
}

/** The response of the last attempt that reached the function (for destination records). */
export interface AttemptResponse {
  readonly statusCode: number;
  readonly executedVersion: string;
  readonly functionError: string | undefined;
  /** The function's result or error document, as bytes. */
  readonly payload: Buffer;
}

/** An event as accepted, and the last response it got: what the queue and the dead-letter store both keep (`stored-event.ts`). */
export interface StoredEvent {
  readonly id: number;
  readonly requestId: string;
  readonly functionName: string;
  readonly qualifier: string | undefined;
  readonly payload: Buffer;
  readonly origin: EventOrigin;
  /** When the 202 was sent (age is measured from here). */
  readonly acceptedMs: number;
  readonly lastResponse: AttemptResponse | undefined;
}

/** An event held by one poller (a lease) until it settles it. */
export interface LeasedEvent extends StoredEvent {
  /** Attempts that reached the function before this lease (approximateInvokeCount so far). */
  readonly invokeCount: number;
  /** Attempts that ended in a function error (counted against MaximumRetryAttempts). */
  readonly functionErrorCount: number;
  /** Proves ownership when settling: a lease that expired and was taken again settles nothing. */
  readonly leaseToken: string;
}

/** Destination and retry settings of one function qualifier (absent members take Lambda's defaults). */
export interface EventInvokeSettings {
  readonly maximumRetryAttempts: number | undefined;
  readonly maximumEventAgeInSeconds: number | undefined;
  readonly onSuccess: string | undefined;
  readonly onFailure: string | undefined;
}

export const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 2;
export const DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 21_600;

export const NO_EVENT_INVOKE_SETTINGS: EventInvokeSettings = {
  maximumRetryAttempts: undefined,
  maximumEventAgeInSeconds: undefined,
  onSuccess: undefined,
  onFailure: undefined,
};

/** Why an event ended without success (the destination record's `condition`, plus Flint's own). */
export type FailureCondition = 'RetriesExhausted' | 'EventAgeExceeded' | 'FunctionNotFound';
