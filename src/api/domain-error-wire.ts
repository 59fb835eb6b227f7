/**
 * The one table from domain errors to Lambda's wire errors (code, AWS's text,
 * `Reason`, `Retry-After`). The data plane never builds these; the API edge calls
 * `wireError` for anything that is a DomainError. A PlatformFault's cause is
 * logged by the caller and never reaches the wire.
 */
import type { KnownDomainError } from '../model/index.ts';
import { ApiError, internalError } from '../shared/index.ts';

type WireTable = { readonly [K in KnownDomainError['kind']]: (err: Extract<KnownDomainError, { kind: K }>) => ApiError };

const WIRE: WireTable = {
  FunctionNotFound: (e) => new ApiError('ResourceNotFoundException', `Function not found: ${e.resource}`),
  FunctionNotReady: (e) =>
    new ApiError('ResourceConflictException', `The operation cannot be performed at this time. The function is currently in the following state: ${e.state}`),
  PayloadTooLarge: (e) =>
    new ApiError(
      'RequestEntityTooLargeException',
      e.invocationType === 'Event'
        ? `${e.sizeBytes} byte payload is too large for the Event invocation type (limit ${e.limitBytes} bytes)`
        : `Request must be smaller than ${e.limitBytes} bytes for the InvokeFunction operation`,
    ),
  InvalidPayload: (e) => new ApiError('InvalidRequestContentException', `Could not parse request body into json: Could not parse payload into json: ${e.detail}`),
  InvalidClientContext: (e) =>
    new ApiError(
      'InvalidParameterValueException',
      e.problem === 'too-long'
        ? 'Client context must be a valid Base64-encoded JSON object with a maximum size of 3583 bytes.'
        : 'Client context must be a valid Base64-encoded JSON object.',
    ),
  Throttled: (e) =>
    new ApiError('TooManyRequestsException', 'Rate Exceeded.', { Reason: e.reason }, e.retryAfterMs === undefined ? {} : { 'Retry-After': retryAfterSeconds(e.retryAfterMs) }),
  RuntimeUnavailable: (e) => new ApiError(e.problem === 'unknown-runtime' ? 'InvalidRuntimeException' : 'ServiceException', e.message),
  ReservationBelowMinimum: (e) =>
    new ApiError(
      'InvalidParameterValueException',
      `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${e.minUnreserved}].`,
    ),
  PlatformFault: () => internalError(),
};

/** The wire error for a domain error. */
export function wireError(err: KnownDomainError): ApiError {
  return (WIRE[err.kind] as (e: KnownDomainError) => ApiError)(err);
}

/** `Retry-After` is whole seconds, at least one. */
function retryAfterSeconds(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}
