/**
 * The one catalog of Lambda API errors Flint answers with: code, HTTP status, the
 * casing of the message member (AWS's shapes differ), and whether it is the
 * caller's fault (`User`) or ours (`Service`). `api-error-catalog.test.ts` keeps
 * it in agreement with the SDK's exception classes and `docs/errors.md`.
 */
export interface ApiErrorSpec {
  readonly status: number;
  readonly messageField: 'Message' | 'message';
  readonly type: 'User' | 'Service';
}

const spec = (status: number, messageField: 'Message' | 'message', type: 'User' | 'Service' = 'User'): ApiErrorSpec => ({ status, messageField, type });

export const API_ERRORS = {
  CodeStorageExceededException: spec(400, 'message'),
  InvalidParameterValueException: spec(400, 'message'),
  InvalidRequestContentException: spec(400, 'message'),
  ValidationException: spec(400, 'message'),
  PolicyLengthExceededException: spec(400, 'message'),
  ResourceInUseException: spec(400, 'Message'),
  PreconditionFailedException: spec(412, 'message'),
  ProvisionedConcurrencyConfigNotFoundException: spec(404, 'message'),
  ResourceNotFoundException: spec(404, 'Message'),
  ResourceConflictException: spec(409, 'message'),
  RequestEntityTooLargeException: spec(413, 'message'),
  UnsupportedMediaTypeException: spec(415, 'message'),
  TooManyRequestsException: spec(429, 'message'),
  ServiceException: spec(500, 'Message', 'Service'),
  ResourceNotReadyException: spec(502, 'message', 'Service'),
  InvalidRuntimeException: spec(502, 'Message', 'Service'),
  InvalidZipFileException: spec(502, 'Message', 'Service'),
  UnknownOperationException: spec(404, 'message'),
  MissingAuthenticationTokenException: spec(403, 'message'),
  IncompleteSignatureException: spec(400, 'message'),
  UnrecognizedClientException: spec(403, 'message'),
  InvalidSignatureException: spec(403, 'message'),
  AccessDeniedException: spec(403, 'Message'),
} as const satisfies Record<string, ApiErrorSpec>;

export type ApiErrorCode = keyof typeof API_ERRORS;
