import { API_ERRORS, type ApiErrorCode } from './api-error-catalog.ts';

/**
 * A caller-visible Lambda API error. Thrown anywhere below the HTTP edge and
 * rendered in exactly one place (`renderApiError`). `extra` members are added to
 * the JSON body (for example `Reason` on TooManyRequestsException).
 */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly extra: Readonly<Record<string, string | number>>;
  readonly headers: Readonly<Record<string, string>>;
  /** What Flint's own log says instead of the message, when the message echoes a secret the caller sent (environment values). */
  logMessage: string | undefined;

  constructor(code: ApiErrorCode, message: string, extra: Record<string, string | number> = {}, headers: Record<string, string> = {}) {
    super(message);
    this.name = code;
    this.code = code;
    this.extra = extra;
    this.headers = headers;
  }

  get status(): number {
    return API_ERRORS[this.code].status;
  }
}

export interface RenderedError {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown>;
}

/** Wire form of an API error: status, `X-Amzn-ErrorType` and `{"Type", "Message"|"message", ...extra}`. */
export function renderApiError(err: ApiError): RenderedError {
  const spec = API_ERRORS[err.code];
  return {
    status: spec.status,
    headers: { 'X-Amzn-ErrorType': err.code, ...err.headers },
    body: { Type: spec.type, [spec.messageField]: err.message, ...err.extra },
  };
}

/** The answer for anything that is not an ApiError: a 500 without internals. */
export function internalError(): ApiError {
  return new ApiError('ServiceException', 'An internal error occurred. Please try again later.');
}

/** Shorthands for the errors used everywhere. */
export const errors = {
  invalidParameter: (message: string) => new ApiError('InvalidParameterValueException', message),
  validation: (message: string) => new ApiError('ValidationException', message),
  notFound: (message: string) => new ApiError('ResourceNotFoundException', message),
  conflict: (message: string) => new ApiError('ResourceConflictException', message),
  precondition: (message: string) => new ApiError('PreconditionFailedException', message),
  tooLarge: (message: string) => new ApiError('RequestEntityTooLargeException', message),
  invalidContent: (message: string) => new ApiError('InvalidRequestContentException', message),
};

/** `err`, logged as `logMessage` (the caller still gets the message it echoes a secret in, as Lambda answers). */
export function loggedAs(err: ApiError, logMessage: string): ApiError {
  err.logMessage = logMessage;
  return err;
}
