import { ReservationBelowMinimum, Throttled } from '../model/index.ts';
import { canReserve, decideAdmission } from './concurrency-decision.ts';

/** Capacity taken for one execution; `release` is idempotent. */
export interface Lease {
  release(): void;
}

export interface CountingOptions {
  readonly accountLimit: number;
  readonly minUnreserved: number;
  /** In a cluster: this front end's share of the unreserved pool (absent: this process counts for the whole account). */
  readonly unreservedShare?: UnreservedShare | undefined;
}

/**
 * A front end's share of the account's unreserved concurrency, held in the shared store
 * (cluster/concurrency-share-keeper.ts). Functions are counted by the front end that owns
 * them, so per-function limits need no sharing; only the account's pool is divided.
 */
export interface UnreservedShare {
  /** Executions this front end may run in the unreserved pool now. */
  current(): number;
  /** The share was full when an invoke came: ask for more (the invoke itself is throttled). */
  exhausted(): void;
}

export interface ReservationOptions {
  /**
   * Refuse a reservation that would leave less than the minimum unreserved
   * (default true). Restoring persisted reservations at start-up passes false, so
   * that a lowered account limit never stops a restart.
   */
  readonly enforceMinimum?: boolean;
}

/**
 * Account-wide and per-function concurrency, in one process (the embedded
 * default). Leases are taken before a sandbox is claimed and released in
 * `finally`; beyond the limit `acquire` throws Throttled with Lambda's reason.
 *
 * A function's share of the account is its reserved concurrency or, without
 * one, its provisioned concurrency: both leave the unreserved pool. A function
 * without a reservation runs its first `provisioned` executions on that share,
 * and the rest in the unreserved pool.
 */
export class CountingService {
  readonly #options: CountingOptions;
  readonly #reserved = new Map<string, number>();
  readonly #provisioned = new Map<string, number>();
  readonly #inUse = new Map<string, number>();
  readonly #provisionedInUse = new Map<string, number>();
  /** Sum over functions of their share (reserved, else provisioned). */
  #committed = 0;
  #unreservedInUse = 0;

  constructor(opts: CountingOptions) {
    this.#options = opts;
  }

  /** Takes one unit of concurrency for `functionName` or throws Throttled. */
  acquire(functionName: string): Lease {
    const reserved = this.#reserved.get(functionName);
    const functionInUse = this.#inUse.get(functionName) ?? 0;
    const provisionedInUse = this.#provisionedInUse.get(functionName) ?? 0;
    const onProvisioned = reserved === undefined && provisionedInUse < (this.#provisioned.get(functionName) ?? 0);
    if (!onProvisioned) {
      const decision = decideAdmission({
        accountLimit: this.#options.accountLimit,
        totalReserved: this.#committed,
        unreservedInUse: this.#unreservedInUse,
        reserved,
        functionInUse,
        unreservedShare: this.#options.unreservedShare?.current(),
      });
      if (!decision.admit) {
        if (reserved === undefined) this.#options.unreservedShare?.exhausted();
        throw new Throttled(decision.reason);
      }
    }
    this.#inUse.set(functionName, functionInUse + 1);
    const inPool = reserved === undefined && !onProvisioned;
    if (inPool) this.#unreservedInUse++;
    if (onProvisioned) this.#provisionedInUse.set(functionName, provisionedInUse + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#inUse.set(functionName, (this.#inUse.get(functionName) ?? 1) - 1);
        if (inPool) this.#unreservedInUse--;
        if (onProvisioned) this.#provisionedInUse.set(functionName, (this.#provisionedInUse.get(functionName) ?? 1) - 1);
      },
    };
  }

  /** Sets (or with undefined, removes) a reservation; throws ReservationBelowMinimum past the minimum. */
  setReservation(functionName: string, reserved: number | undefined, options: ReservationOptions = {}): void {
    const current = this.#share(functionName);
    const enforce = options.enforceMinimum ?? true;
    if (enforce && reserved !== undefined && !canReserve(this.#options.accountLimit, this.#options.minUnreserved, this.#committed, current, reserved)) {
      throw new ReservationBelowMinimum(this.#options.minUnreserved);
    }
    if (reserved === undefined) this.#reserved.delete(functionName);
    else this.#reserved.set(functionName, reserved);
    this.#committed += this.#share(functionName) - current;
  }

  /**
   * Sets the total provisioned concurrency of a function (0 removes it). The
   * caller validates it against the function's reservation and the unreserved
   * minimum (Lambda answers those with their own texts).
   */
  setProvisioned(functionName: string, total: number): void {
    const current = this.#share(functionName);
    if (total > 0) this.#provisioned.set(functionName, total);
    else this.#provisioned.delete(functionName);
    this.#committed += this.#share(functionName) - current;
  }

  /** UnreservedConcurrentExecutions as GetAccountSettings reports it. */
  unreservedLimit(): number {
    return this.#options.accountLimit - this.#committed;
  }

  /** The account quota and the minimum that must stay unreserved. */
  get limits(): CountingOptions {
    return this.#options;
  }

  /** Executions in flight in the unreserved pool (what a front end's share must cover). */
  unreservedInUse(): number {
    return this.#unreservedInUse;
  }

  inUse(): { readonly total: number; readonly byFunction: ReadonlyMap<string, number> } {
    let total = 0;
    for (const n of this.#inUse.values()) total += n;
    return { total, byFunction: this.#inUse };
  }

  #share(functionName: string): number {
    return this.#reserved.get(functionName) ?? this.#provisioned.get(functionName) ?? 0;
  }
}
