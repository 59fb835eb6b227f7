/**
 * Keeps exactly the provisioned sandboxes the control plane asks for. Each pass
 * reads the allocations, starts what is missing and gives up what is no longer
 * wanted (`planProvisioned`), then reports READY / FAILED (`statusUpdates`).
 * Passes run one at a time; any change during a pass (a config put or deleted, an
 * alias moved, a provisioned sandbox lost) makes another pass follow it.
 */
import type { FunctionVersionConfig } from '../model/index.ts';
import type { Logger } from '../shared/index.ts';
import { planProvisioned, statusUpdates, type AllocationView, type ProvisionedStatus } from './plan-provisioned.ts';

/** The control plane's provisioned concurrency, as the reconciler reads and reports it (its port). */
export interface ProvisionedSource {
  allocations(): Promise<ReadonlyArray<{
    readonly functionName: string;
    readonly qualifier: string;
    readonly status: ProvisionedStatus;
    readonly versions: ReadonlyArray<{ readonly config: FunctionVersionConfig; readonly count: number }>;
  }>>;
  /** Returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
  markReady(functionName: string, qualifier: string): Promise<void>;
  markFailed(functionName: string, qualifier: string, reason: string): Promise<void>;
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

export interface ReconcilerDeps {
  readonly source: ProvisionedSource;
  readonly sandboxes: ProvisionedSandboxes;
  readonly keyOf: (version: FunctionVersionConfig) => string;
  readonly logger: Logger;
  /** Sandboxes initialised at once (default 4). */
  readonly parallelStarts?: number;
}

export class ProvisionedReconciler {
  readonly #deps: ReconcilerDeps;
  /** Version keys that failed to start since the allocations last changed, with the reason. */
  readonly #failed = new Map<string, string>();
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

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const u of this.#unsubscribe) u();
    await this.idle();
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
    const wanted = new Map<string, { config: FunctionVersionConfig; count: number }>();
    for (const a of await source.allocations()) {
      for (const v of a.versions) {
        const key = this.#deps.keyOf(v.config);
        wanted.set(key, { config: v.config, count: (wanted.get(key)?.count ?? 0) + v.count });
      }
    }
    const counts = new Map([...wanted].map(([key, w]) => [key, w.count]));
    const plan = planProvisioned(counts, sandboxes.provisionedCounts(), new Set(this.#failed.keys()));
    for (const [key, n] of plan.drop) sandboxes.dropProvisioned(key, n);
    await this.#startAll(plan.start.flatMap(([key, n]) => Array.from({ length: n }, () => ({ key, config: wanted.get(key)!.config }))));
    await this.#report();
    if (plan.start.length > 0) this.#dirty = true; // things may have moved while sandboxes started: look again
  }

  async #startAll(jobs: ReadonlyArray<{ key: string; config: FunctionVersionConfig }>): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length && !this.#stopped) {
        const job = jobs[next++]!;
        if (this.#failed.has(job.key)) continue;
        await this.#deps.sandboxes.startProvisioned(job.config).catch((err: unknown) => {
          const reason = (err as Error).message;
          this.#failed.set(job.key, reason);
          this.#deps.logger.warn({ err, function: job.config.functionName, version: job.config.version }, 'provisioned sandbox failed to start');
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#deps.parallelStarts ?? 4, jobs.length) }, worker));
  }

  /** Reports status changes against fresh allocations (a config may have been put again meanwhile). */
  async #report(): Promise<void> {
    const views: AllocationView[] = (await this.#deps.source.allocations()).map((a) => ({
      functionName: a.functionName,
      qualifier: a.qualifier,
      status: a.status,
      versions: a.versions.map((v) => ({ key: this.#deps.keyOf(v.config), count: v.count })),
    }));
    for (const u of statusUpdates(views, this.#deps.sandboxes.provisionedCounts(), this.#failed)) {
      if (u.status === 'READY') await this.#deps.source.markReady(u.functionName, u.qualifier);
      else await this.#deps.source.markFailed(u.functionName, u.qualifier, u.reason ?? 'FAILED');
    }
  }
}
