import type { CountingService } from '../counting/index.ts';
import type { InvocationOutcome, InvocationRequest } from '../model/index.ts';
import { ApiError, type Logger } from '../shared/index.ts';
import type { WorkerManager } from '../worker-manager/index.ts';
import type { ResolvedTarget } from './ports.ts';

/** Receives a record of every invocation and throttle (metrics). */
export interface InvokeObserver {
  invoked(functionName: string, result: 'success' | 'error', cold: boolean, durationMs: number, initDurationMs: number | undefined): void;
  throttled(functionName: string, reason: string): void;
}

export interface InvokeServiceDeps {
  readonly counting: CountingService;
  readonly workers: WorkerManager;
  readonly logger: Logger;
  readonly observer?: InvokeObserver | undefined;
}

/**
 * The synchronous invoke path, the one every invocation takes (async pollers too):
 * counting lease -> worker manager claim (warm or cold) -> sandbox invoke ->
 * release claim and lease in `finally`.
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
      if (err instanceof ApiError && err.code === 'TooManyRequestsException') this.#d.observer?.throttled(name, String(err.extra.Reason ?? ''));
      throw err;
    }
    try {
      const claim = await this.#d.workers.claim(target.config);
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
}
