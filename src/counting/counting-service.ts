import { ApiError } from '../shared/index.ts';
import { canReserve, decideAdmission } from './concurrency-decision.ts';

/** Capacity taken for one execution; `release` is idempotent. */
export interface Lease {
  release(): void;
}

export interface CountingOptions {
  readonly accountLimit: number;
  readonly minUnreserved: number;
}

/**
 * Account-wide and per-function concurrency, in one process (the embedded
 * default). Leases are taken before a sandbox is claimed and released in
 * `finally`; beyond the limit the caller gets 429 TooManyRequestsException with
 * Lambda's `Reason`.
 */
export class CountingService {
  readonly #opts: CountingOptions;
  readonly #reserved = new Map<string, number>();
  readonly #inUse = new Map<string, number>();
  #totalReserved = 0;
  #unreservedInUse = 0;

  constructor(opts: CountingOptions) {
    this.#opts = opts;
  }

  /** Takes one unit of concurrency for `functionName` or throws TooManyRequestsException. */
  acquire(functionName: string): Lease {
    const reserved = this.#reserved.get(functionName);
    const functionInUse = this.#inUse.get(functionName) ?? 0;
    const decision = decideAdmission({
      accountLimit: this.#opts.accountLimit,
      totalReserved: this.#totalReserved,
      unreservedInUse: this.#unreservedInUse,
      reserved,
      functionInUse,
    });
    if (!decision.admit) throw new ApiError('TooManyRequestsException', 'Rate Exceeded.', { Reason: decision.reason });
    this.#inUse.set(functionName, functionInUse + 1);
    const unreserved = reserved === undefined;
    if (unreserved) this.#unreservedInUse++;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#inUse.set(functionName, (this.#inUse.get(functionName) ?? 1) - 1);
        if (unreserved) this.#unreservedInUse--;
      },
    };
  }

  /** Sets (or with undefined, removes) a reservation; throws InvalidParameterValueException past the minimum. */
  setReservation(functionName: string, reserved: number | undefined): void {
    const current = this.#reserved.get(functionName);
    if (reserved !== undefined && !canReserve(this.#opts.accountLimit, this.#opts.minUnreserved, this.#totalReserved, current, reserved)) {
      throw new ApiError(
        'InvalidParameterValueException',
        `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${this.#opts.minUnreserved}].`,
      );
    }
    this.#totalReserved += (reserved ?? 0) - (current ?? 0);
    if (reserved === undefined) this.#reserved.delete(functionName);
    else this.#reserved.set(functionName, reserved);
  }

  /** UnreservedConcurrentExecutions as GetAccountSettings reports it. */
  unreservedLimit(): number {
    return this.#opts.accountLimit - this.#totalReserved;
  }

  inUse(): { readonly total: number; readonly byFunction: ReadonlyMap<string, number> } {
    let total = 0;
    for (const n of this.#inUse.values()) total += n;
    return { total, byFunction: this.#inUse };
  }
}
