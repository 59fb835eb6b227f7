/**
 * What can go wrong on the way to running a function, as the domain sees it. The
 * data plane (front end, counting, worker manager, placement, worker hosts) and
 * the resolver throw these; they carry facts, never HTTP statuses, headers or
 * Lambda's texts. The API edge renders them (`src/api/domain-error-wire.ts`, one
 * table); the async pollers classify them by class.
 *
 * Function errors are not here: they are data (`InvocationOutcome.functionError`).
 */
import type { FunctionState } from './function-config.ts';
import type { InvocationType } from './invoke-request.ts';

/** Lambda's `ThrottleReason` members Flint uses. */
export type ThrottleReason =
  /** The account's unreserved pool is in use, or no host can make room for another sandbox. */
  | 'ConcurrentInvocationLimitExceeded'
  /** The function's reserved concurrency is in use. */
  | 'ReservedFunctionConcurrentInvocationLimitExceeded'
  /** The function adds sandboxes faster than its scale-up rate. */
  | 'FunctionInvocationRateLimitExceeded';

/** Base of every domain error; the subclasses below are all there is (see `KnownDomainError`). */
export abstract class DomainError extends Error {
  abstract readonly kind: KnownDomainError['kind'];
}

/** No such function, version or alias (`resource`: the ARN as asked for, or the name when it was no ARN). */
export class FunctionNotFound extends DomainError {
  readonly kind = 'FunctionNotFound';
  readonly resource: string;

  constructor(resource: string) {
    super(`Function not found: ${resource}`);
    this.name = 'FunctionNotFound';
    this.resource = resource;
  }
}

/** The version exists but cannot run yet (it is still being created). */
export class FunctionNotReady extends DomainError {
  readonly kind = 'FunctionNotReady';
  readonly functionName: string;
  readonly state: FunctionState;

  constructor(functionName: string, state: FunctionState) {
    super(`function ${functionName} is ${state}`);
    this.name = 'FunctionNotReady';
    this.functionName = functionName;
    this.state = state;
  }
}

/** The event is larger than the entry point accepts for this invocation type. */
export class PayloadTooLarge extends DomainError {
  readonly kind = 'PayloadTooLarge';
  readonly sizeBytes: number;
  readonly limitBytes: number;
  readonly invocationType: InvocationType;

  constructor(sizeBytes: number, limitBytes: number, invocationType: InvocationType) {
    super(`${sizeBytes} byte payload over the ${limitBytes} byte limit of ${invocationType}`);
    this.name = 'PayloadTooLarge';
    this.sizeBytes = sizeBytes;
    this.limitBytes = limitBytes;
    this.invocationType = invocationType;
  }
}

/** The event is not JSON (`detail`: the parser's message). */
export class InvalidPayload extends DomainError {
  readonly kind = 'InvalidPayload';
  readonly detail: string;

  constructor(detail: string) {
    super(`payload is not JSON: ${detail}`);
    this.name = 'InvalidPayload';
    this.detail = detail;
  }
}

/** ClientContext is longer than Lambda accepts, or not base64 of a JSON object. */
export class InvalidClientContext extends DomainError {
  readonly kind = 'InvalidClientContext';
  readonly problem: 'too-long' | 'not-a-json-object';

  constructor(problem: 'too-long' | 'not-a-json-object') {
    super(`client context is ${problem}`);
    this.name = 'InvalidClientContext';
    this.problem = problem;
  }
}

/** Refused for capacity: nothing ran. `retryAfterMs`: when trying again may succeed, if known. */
export class Throttled extends DomainError {
  readonly kind = 'Throttled';
  readonly reason: ThrottleReason;
  readonly retryAfterMs: number | undefined;

  constructor(reason: ThrottleReason, retryAfterMs?: number) {
    super(`throttled: ${reason}`);
    this.name = 'Throttled';
    this.reason = reason;
    this.retryAfterMs = retryAfterMs;
  }
}

/** The function's runtime is unknown to Flint, or not installed on the worker host. */
export class RuntimeUnavailable extends DomainError {
  readonly kind = 'RuntimeUnavailable';
  readonly problem: 'unknown-runtime' | 'not-installed';

  constructor(problem: 'unknown-runtime' | 'not-installed', message: string) {
    super(message);
    this.name = 'RuntimeUnavailable';
    this.problem = problem;
  }
}

/** A reservation the account cannot give: it would leave less unreserved concurrency than the minimum. */
export class ReservationBelowMinimum extends DomainError {
  readonly kind = 'ReservationBelowMinimum';
  readonly minUnreserved: number;

  constructor(minUnreserved: number) {
    super(`a reservation would leave less than ${minUnreserved} unreserved concurrency`);
    this.name = 'ReservationBelowMinimum';
    this.minUnreserved = minUnreserved;
  }
}

/** Flint's own failure (a sandbox that could not start, a host that went away...); `cause` says what. */
export class PlatformFault extends DomainError {
  readonly kind = 'PlatformFault';

  constructor(cause: unknown) {
    super(`platform fault: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'PlatformFault';
  }
}

export type KnownDomainError =
  | FunctionNotFound | FunctionNotReady | PayloadTooLarge | InvalidPayload | InvalidClientContext | Throttled | RuntimeUnavailable | ReservationBelowMinimum | PlatformFault;

/** Narrows to the union (every DomainError is one of its members). */
export function isDomainError(err: unknown): err is KnownDomainError {
  return err instanceof DomainError;
}
