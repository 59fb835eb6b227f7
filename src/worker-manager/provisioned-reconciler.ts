/**
 * Keeps exactly the provisioned sandboxes the control plane asks for, of the functions this
 * front end reconciles. Each pass reads the allocations, starts what is missing and gives up
 * what is no longer wanted (`planProvisioned`), then reports READY / FAILED (`statusUpdates`).
 * Passes run one at a time; any change during a pass (a config put or deleted, an alias moved,
 * a provisioned sandbox lost) makes another pass follow it.
 *
 * In a cluster, a function's provisioned sandboxes live with the front end that owns the
 * function (`owns`) and holds its lease `provisioned:<name>` (taken or renewed by each pass, and
 * renewed every `renewEveryMs` between passes): exactly one front end keeps them and writes their
 * status. A function it no longer owns, or whose lease it lost, it gives up (sandboxes dropped,
 * lease released). When the holder dies its lease expires after `leaseTtlMs` and the new owner
 * takes the function over on its next pass, starting its configs over (IN_PROGRESS, then READY).
 * Without a lease store (one front end) every function is this one's and nothing is timed.
 */
import type { FunctionVersionConfig } from '../model/index.ts';
import type { Clock, Logger } from '../shared/index.ts';
import { planProvisioned, statusUpdates, type AllocationView, type ProvisionedStatus } from './plan-provisioned.ts';

/** The control plane's provisioned concurrency, as the reconciler reads and reports it (its port). */
export interface ProvisionedSource {
  allocations(): Promise<ReadonlyArray<{
    readonly functionName: string;
    readonly qualifier: string;
    /** Of the config as read; every report names it (a config put again since is left alone). */
    readonly lastModifiedMs: number;
    readonly status: ProvisionedStatus;
    readonly versions: ReadonlyArray<{ readonly config: FunctionVersionConfig; readonly count: number }>;
  }>>;
  /** Returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
  markReady(functionName: string, qualifier: string, seenLastModifiedMs: number): Promise<void>;
  markFailed(functionName: string, qualifier: string, seenLastModifiedMs: number, reason: string): Promise<void>;
  markInProgress(functionName: string, qualifier: string, seenLastModifiedMs: number): Promise<void>;
}

/** What the reconciler needs from the worker manager. */
export interface ProvisionedSandboxes {
  /** Live provisioned sandboxes per version key. */
  provisionedCounts(): ReadonlyMap<string, number>;
  /** Starts and initialises one provisioned sandbox; rejects with the StatusReason when it cannot. */
  startProvisioned(version: FunctionVersionConfig): Promise<void>;
  /** Gives up `count` provisioned sandboxes of a version: idle ones are destroyed, busy ones become on-demand. */
  dropProvisioned(key: string, count: number): void;
  /** Called when a provisioned sandbox died. Returns the unsubscribe function. */
  onProvisionedLost(listener: () => void): () => void;
}

/** Named leases shared by the front ends (the storage's LeaseStore). */
export interface ReconcilerLeases {
  /** Takes the lease when free or expired, or renews it when `holder` has it, until nowMs + ttlMs. True when `holder` holds it. */
  acquire(name: string, holder: string, nowMs: number, ttlMs: number): Promise<boolean>;
  /** Gives it up if `holder` has it. */
  release(name: string, holder: string): Promise<void>;
}

export interface ReconcilerDeps {
  readonly source: ProvisionedSource;
  readonly sandboxes: ProvisionedSandboxes;
  readonly keyOf: (version: FunctionVersionConfig) => string;
  readonly logger: Logger;
  /** Sandboxes initialised at once (default 4). */
  readonly parallelStarts?: number;
  /** Whether this front end owns the function (runs its invokes); asked every pass. Default: every function. */
  readonly owns?: (functionName: string) => boolean;
  /** Leases that make one front end at a time reconcile a function. Default: none (every owned function is reconciled here). */
  readonly leases?: ReconcilerLeases;
  /** This front end's name as a lease holder (required with `leases`). */
  readonly holder?: string;
  readonly clock?: Clock;
  /** How long a lease lasts unless renewed (default 10 s). */
  readonly leaseTtlMs?: number;
  /** How often leases are renewed and a pass runs (default a third of the ttl). */
  readonly renewEveryMs?: number;
}

export const DEFAULT_PROVISIONED_LEASE_TTL_MS = 10_000;

/** The lease naming who reconciles a function's provisioned concurrency. */
export function provisionedLeaseName(functionName: string): string {
  return `provisioned:${functionName}`;
}

export class ProvisionedReconciler {
  readonly #deps: ReconcilerDeps;
  /** Version keys that failed to start since the allocations last changed, with the reason. */
  readonly #failed = new Map<string, string>();
  /** Functions this front end reconciles now (owned, lease held). */
  #held = new Set<string>();
  /** Lease calls, one at a time (a renewal never races a pass's release). */
  #leaseOps: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #dirty = false;
  #running: Promise<void> | undefined;
  #stopped = false;
  #unsubscribe: Array<() => void> = [];

  constructor(deps: ReconcilerDeps) {
    this.#deps = deps;
  }

  /** Subscribes to changes and runs the first pass. */
  start(): void {
    this.#unsubscribe = [
      this.#deps.source.onChange(() => this.changed()),
      this.#deps.sandboxes.onProvisionedLost(() => this.kick()),
    ];
    if (this.#deps.leases !== undefined) {
      const every = this.#deps.renewEveryMs ?? this.#ttlMs / 3;
      this.#timer = setInterval(() => void this.#renew().finally(() => this.kick()), every);
      this.#timer.unref();
    }
    this.kick();
  }

  /** The allocations may have changed: retry failed versions too. */
  changed(): void {
    this.#failed.clear();
    this.kick();
  }

  /** Asks for a pass (after the running one, if any). */
  kick(): void {
    this.#dirty = true;
    if (this.#running === undefined && !this.#stopped) this.#running = this.#loop();
  }

  /** Resolves once no pass is running or due. */
  async idle(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
  }

  /** Stops passes and renewals and releases the leases held; keeps the sandboxes (the worker manager closes them). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    for (const u of this.#unsubscribe) u();
    await this.idle();
    const held = [...this.#held];
    this.#held = new Set();
    await this.#exclusive(async () => {
      for (const fn of held) await this.#release(fn);
    });
  }

  /** The functions this front end reconciles now. */
  reconciled(): ReadonlySet<string> {
    return this.#held;
  }

  async #loop(): Promise<void> {
    try {
      while (this.#dirty && !this.#stopped) {
        this.#dirty = false;
        await this.#pass().catch((err: unknown) => this.#deps.logger.error({ err }, 'provisioned concurrency pass failed'));
      }
    } finally {
      this.#running = undefined;
    }
  }

  async #pass(): Promise<void> {
    const { source, sandboxes } = this.#deps;
    const allocations = await source.allocations();
    const taken = await this.#exclusive(async () => {
      const mine = new Set<string>();
      for (const fn of new Set(allocations.map((a) => a.functionName))) if (this.#owns(fn) && (await this.#acquire(fn))) mine.add(fn);
      const given = [...this.#held].filter((fn) => !mine.has(fn));
      const taken = [...mine].filter((fn) => !this.#held.has(fn));
      this.#held = mine;
      // sandboxes of functions given up go before their lease (the next holder starts its own)
      for (const [key, n] of planProvisioned(new Map(), this.#unwanted(allocations), new Set()).drop) sandboxes.dropProvisioned(key, n);
      for (const fn of given) await this.#release(fn);
      return new Set(taken);
    });
    const wanted = new Map<string, { config: FunctionVersionConfig; count: number }>();
    for (const a of allocations) {
      if (!this.#held.has(a.functionName)) continue;
      for (const v of a.versions) {
        const key = this.#deps.keyOf(v.config);
        if (taken.has(a.functionName)) this.#failed.delete(key);
        wanted.set(key, { config: v.config, count: (wanted.get(key)?.count ?? 0) + v.count });
      }
    }
    // taken over (or first pass after a start): its sandboxes are started over, and so is its status
    for (const a of allocations) if (taken.has(a.functionName) && a.status !== 'IN_PROGRESS') await source.markInProgress(a.functionName, a.qualifier, a.lastModifiedMs);
    const counts = new Map([...wanted].map(([key, w]) => [key, w.count]));
    const plan = planProvisioned(counts, sandboxes.provisionedCounts(), new Set(this.#failed.keys()));
    for (const [key, n] of plan.drop) sandboxes.dropProvisioned(key, n);
    await this.#startAll(plan.start.flatMap(([key, n]) => Array.from({ length: n }, () => ({ key, config: wanted.get(key)!.config }))));
    await this.#report();
    if (plan.start.length > 0) this.#dirty = true; // things may have moved while sandboxes started: look again
  }

  /** Provisioned sandboxes held for versions of functions this front end does not reconcile, per key. */
  #unwanted(allocations: ReadonlyArray<{ readonly functionName: string; readonly versions: ReadonlyArray<{ readonly config: FunctionVersionConfig }> }>): Map<string, number> {
    const notMine = new Set<string>();
    for (const a of allocations) if (!this.#held.has(a.functionName)) for (const v of a.versions) notMine.add(this.#deps.keyOf(v.config));
    const out = new Map<string, number>();
    for (const [key, n] of this.#deps.sandboxes.provisionedCounts()) if (notMine.has(key) && n > 0) out.set(key, n);
    return out;
  }

  #owns(functionName: string): boolean {
    return this.#deps.owns?.(functionName) ?? true;
  }

  get #ttlMs(): number {
    return this.#deps.leaseTtlMs ?? DEFAULT_PROVISIONED_LEASE_TTL_MS;
  }

  /** Takes or renews the function's lease (always granted without a lease store). */
  async #acquire(functionName: string): Promise<boolean> {
    const { leases, holder, clock } = this.#deps;
    if (leases === undefined) return true;
    return leases.acquire(provisionedLeaseName(functionName), holder!, (clock ?? Date).now(), this.#ttlMs);
  }

  async #release(functionName: string): Promise<void> {
    const { leases, holder } = this.#deps;
    if (leases === undefined) return;
    await leases.release(provisionedLeaseName(functionName), holder!).catch((err: unknown) => {
      this.#deps.logger.warn({ err, functionName }, 'could not release a provisioned concurrency lease (it expires)');
    });
  }

  /** Renews the leases held between passes; a lease lost is given up by the next pass. */
  async #renew(): Promise<void> {
    await this.#exclusive(async () => {
      for (const fn of [...this.#held]) {
        if (this.#stopped || !this.#held.has(fn)) continue;
        const kept = await this.#acquire(fn).catch((err: unknown) => {
          this.#deps.logger.warn({ err, functionName: fn }, 'could not renew a provisioned concurrency lease');
          return true; // unknown: the next pass decides
        });
        if (!kept) {
          this.#held.delete(fn);
          this.#deps.logger.warn({ functionName: fn }, 'provisioned concurrency lease lost: giving the function up');
        }
      }
    });
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#leaseOps.then(fn, fn);
    this.#leaseOps = run.catch(() => undefined);
    return run;
  }

  async #startAll(jobs: ReadonlyArray<{ key: string; config: FunctionVersionConfig }>): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length && !this.#stopped) {
        const job = jobs[next++]!;
        if (this.#failed.has(job.key) || !this.#held.has(job.config.functionName)) continue;
        await this.#deps.sandboxes.startProvisioned(job.config).catch((err: unknown) => {
          const reason = (err as Error).message;
          this.#failed.set(job.key, reason);
          this.#deps.logger.warn({ err, function: job.config.functionName, version: job.config.version }, 'provisioned sandbox failed to start');
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#deps.parallelStarts ?? 4, jobs.length) }, worker));
  }

  /** Reports status changes of the functions reconciled here, against fresh allocations (a config may have been put again meanwhile). */
  async #report(): Promise<void> {
    const fresh = (await this.#deps.source.allocations()).filter((a) => this.#held.has(a.functionName));
    const seen = new Map(fresh.map((a) => [`${a.functionName}\u0000${a.qualifier}`, a.lastModifiedMs]));
    const views: AllocationView[] = fresh.map((a) => ({
      functionName: a.functionName,
      qualifier: a.qualifier,
      status: a.status,
      versions: a.versions.map((v) => ({ key: this.#deps.keyOf(v.config), count: v.count })),
    }));
    for (const u of statusUpdates(views, this.#deps.sandboxes.provisionedCounts(), this.#failed)) {
      if (!this.#held.has(u.functionName)) continue; // lost meanwhile: the new holder reports
      const lastModifiedMs = seen.get(`${u.functionName}\u0000${u.qualifier}`)!;
      if (u.status === 'READY') await this.#deps.source.markReady(u.functionName, u.qualifier, lastModifiedMs);
      else await this.#deps.source.markFailed(u.functionName, u.qualifier, lastModifiedMs, u.reason ?? 'FAILED');
    }
  }
}
