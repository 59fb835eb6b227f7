import type { CountingService } from '../counting/index.ts';
import type { InvocationOutcome, InvocationRequest } from '../model/index.ts';
import type { Logger } from '../shared/index.ts';
import type { WorkerManager } from '../worker-manager/index.ts';
import type { ResolvedTarget } from './ports.ts';

export interface InvokeServiceDeps {
  readonly counting: CountingService;
  readonly workers: WorkerManager;
  readonly logger: Logger;
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
    const lease = this.#d.counting.acquire(target.config.functionName);
    try {
      const claim = await this.#d.workers.claim(target.config);
      try {
        return await claim.sandbox.invoke(request);
      } finally {
        claim.release();
      }
    } finally {
      lease.release();
    }
  }
}
