/** Cross-cutting pieces every component may use: API errors, ARNs, clock, logging, CPU idle share, group commit. */
export { ApiError, renderApiError, internalError, errors, loggedAs, type RenderedError } from './api-error.ts';
export { API_ERRORS, type ApiErrorCode, type ApiErrorSpec } from './api-error-catalog.ts';
export { parseFunctionRef, functionArn, roleArnPattern, type Account, type FunctionRef } from './arn.ts';
export { systemClock, lambdaTimestamp, type Clock } from './clock.ts';
export { componentLogger, createLogger, type Logger } from './logger.ts';
export { CpuIdleSampler } from './cpu-idle.ts';
export { GroupCommit, type CommitBatch } from './group-commit.ts';
export { PeerHttp, PeerCallFailed, CONNECT_TIMEOUT, headerValue, type PeerRequest, type PeerResponse, type PeerHttpOptions } from './peer-http.ts';
export { writeOrDrain } from './stream-write.ts';
export { assertNoViolations, constraint, describeViolation, enumViolations, rangeViolations, validationException, type Violation } from './validation-message.ts';
export { zipBytes } from './zip-bytes.ts';
