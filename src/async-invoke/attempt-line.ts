/**
 * The platform line an async delivery adds to the function's log group, so the
 * attempt count (Lambda's approximateInvokeCount) and what happens next are
 * visible next to the handler's own logs. Lambda's START / END / REPORT lines
 * and the Runtime API stay exactly as Lambda has them.
 *
 *   ASYNC RequestId: <id>\tAttempt: 2 of 3\tResult: Unhandled (Error)\tNext: retry in 120000 ms
 */
import type { RetryDecision } from './retry-policy.ts';

export interface AttemptLineInput {
  readonly requestId: string;
  /** 1-based count of attempts that reached the function, this one included; 0 when it did not run. */
  readonly attempt: number;
  /** 1 + MaximumRetryAttempts. */
  readonly maxAttempts: number;
  /** `Success`, `Unhandled (errorType)`, `Throttled`, `EventAgeExceeded`... */
  readonly result: string;
  readonly decision: RetryDecision;
}

export function attemptLine(f: AttemptLineInput): string {
  const attempt = f.attempt > 0 ? `Attempt: ${f.attempt} of ${f.maxAttempts}\t` : '';
  return `ASYNC RequestId: ${f.requestId}\t${attempt}Result: ${f.result}\tNext: ${nextStep(f.decision)}`;
}

function nextStep(d: RetryDecision): string {
  switch (d.action) {
    case 'ack':
      return d.destination === undefined ? 'done' : `OnSuccess ${d.destination}`;
    case 'retry':
      return `retry in ${Math.round(d.delayMs)} ms`;
    case 'fail':
      return d.destination === undefined ? `dead-letter (${d.condition})` : `OnFailure ${d.destination} (${d.condition})`;
  }
}
