import type { InvocationOutcome, InvocationRequest } from '../model/index.ts';
import { ApiError, type Logger } from '../shared/index.ts';
import type { CountingPort, ResolvedTarget, WorkerPort } from './ports.ts';

/** Receives a record of every invocation and throttle (metrics). */
export interface InvokeObserver {
  invoked(functionName: string, result: 'success' | 'error', cold: boolean, durationMs: number, initDurationMs: number | undefined): void;
  throttled(functionName: string, reason: string): void;
}

export interface InvokeServiceDeps {
  readonly counting: CountingPort;
  readonly workers: WorkerPort;
  readonly logger: Logger;
  readonly observer?: InvokeObserver | undefined;
}

/**
 * The synchronous invoke path, the one every invocation takes (async pollers too):
 * counting lease -> worker manager claim (warm or cold) -> sandbox invoke ->
 * release claim and lease in `finally`. Throttles from any step (counting, the
 * function's scale-up rate, a full host) reach the observer with their Reason.
 */
export class InvokeService {
  readonly #d: InvokeServiceDeps;

  constructor(deps: InvokeServiceDeps) {
    this.#d = deps;
  }

  async invoke(target: ResolvedTarget, request: InvocationRequest): Promise<InvocationOutcome> {
    const name = target.config.functionName;
    let lease;
    try {
      lease = this.#d.counting.acquire(name);
    } catch (err) {
      throw this.#observed(name, err);
    }
    try {
      let claim;
      try {
        claim = await this.#d.workers.claim(target.config);
      } catch (err) {
        throw this.#observed(name, err);
      }
      try {
        const outcome = await claim.sandbox.invoke(request);
        this.#d.observer?.invoked(name, outcome.functionError ? 'error' : 'success', claim.cold, outcome.durationMs, outcome.initDurationMs);
        return outcome;
      } finally {
        claim.release();
      }
    } finally {
      lease.release();
    }
  }

  /** Records a throttle (counting, scale-up rate or placement) and hands the error back. */
  #observed(functionName: string, err: unknown): unknown {
    if (err instanceof ApiError && err.code === 'TooManyRequestsException') this.#d.observer?.throttled(functionName, String(err.extra.Reason ?? ''));
    return err;
  }
}
