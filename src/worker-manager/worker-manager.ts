import type { FunctionVersionConfig, HostSandbox, InitializationType } from '../model/index.ts';
import type { Clock, Logger } from '../shared/index.ts';
import { chooseWarmSandbox, provisionedToRecycle, sandboxesToReclaim } from './choose-sandbox.ts';
import { ArrivalTracker, fixedKeepAlive, type KeepAlivePolicy } from './keep-alive-policy.ts';
import type { EvictionCandidate, PlacementPort } from './placement-port.ts';
import type { ProvisionedSandboxes } from './provisioned-reconciler.ts';
import { revokingOnDestroy, type SandboxCredentialIssuer } from './sandbox-credentials.ts';
import { SandboxEntry, SandboxTable } from './sandbox-table.ts';
import type { ScaleUpRate } from './scale-up-decision.ts';
import { ScaleUpLimiter } from './scale-up-limiter.ts';

/** A sandbox held for exactly one invocation; `release` is idempotent and returns it to the warm set. */
export interface Claim {
  readonly sandbox: HostSandbox;
  /** True when this claim started a new sandbox (a cold start). */
  readonly cold: boolean;
  release(): void;
}

export interface WorkerManagerOptions {
  readonly placement: PlacementPort;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Keep-alive of idle on-demand sandboxes under the fixed policy (the default). */
  readonly idleTimeoutMs: number;
  /**
   * Decides each version's keep-alive from its idle-time histogram (default: fixed
   * `idleTimeoutMs`). Here an idle sandbox is kept for the pre-warm plus the keep-alive
   * window: unloading and pre-warming are simulated (bench/placement-sim.ts), not done live.
   */
  readonly keepAlive?: KeepAlivePolicy;
  /** Bins of the idle-time histograms (default: the paper's 240 one-minute bins). */
  readonly keepAliveBins?: { readonly binMs: number; readonly bins: number };
  readonly maxLifetimeMs: number;
  /** How fast one function may add sandboxes (cold starts beyond it are throttled). */
  readonly scaleUp: ScaleUpRate;
  /** Execution-role credentials for each new sandbox (default: none, the runtime's placeholders). */
  readonly credentials?: SandboxCredentialIssuer | undefined;
}

/** Why a provisioned sandbox could not be initialised (the config's StatusReason). */
export class ProvisioningError extends Error {}

/** Longest a recycled provisioned sandbox waits for its replacement (the reconciler may not start one: config removed). */
const RECYCLE_GRACE_MS = 60_000;

/**
 * Sandboxes are never shared across functions, versions, code or configuration: the
 * key says which. It depends only on what a sandbox runs (not on RevisionId, which
 * also changes when nothing a sandbox sees did, e.g. on publish).
 */
export function versionKey(v: FunctionVersionConfig): string {
  const runs = [v.runtime, v.handler, v.memorySizeMb, v.timeoutSec, v.ephemeralStorageMb, v.environment, v.layers, v.architectures, v.loggingConfig];
  return `${v.functionName}\0${v.version}\0${v.codeSha256Hex}\0${JSON.stringify(runs)}`;
}

/**
 * Knows every sandbox and whether it is idle or busy; hands an invoke a warm idle
 * sandbox of the same version (provisioned first, then the most recently used),
 * else starts one through placement (a cold start, within the function's scale-up
 * rate, evicting idle sandboxes when the host is full). Never gives one sandbox two
 * invocations at once. Keeps provisioned sandboxes for the reconciler.
 */
export class WorkerManager implements ProvisionedSandboxes {
  readonly #options: WorkerManagerOptions;
  readonly #table = new SandboxTable();
  readonly #scaleUp: ScaleUpLimiter;
  readonly #lostListeners = new Set<() => void>();
  /** versionKey per config object: configs are immutable and cached by the resolver, so this spares the hot path. */
  readonly #keys = new WeakMap<FunctionVersionConfig, string>();
  /** Arrivals and idle times per version key, for the keep-alive policy. */
  readonly #arrivals = new Map<string, ArrivalTracker>();
  readonly #keepAlive: KeepAlivePolicy;
  readonly #bins: { readonly binMs: number; readonly bins: number };
  #closed = false;

  constructor(options: WorkerManagerOptions) {
    this.#options = options;
    this.#keepAlive = options.keepAlive ?? fixedKeepAlive(options.idleTimeoutMs);
    this.#bins = options.keepAliveBins ?? { binMs: 60_000, bins: 240 };
    this.#scaleUp = new ScaleUpLimiter(options.scaleUp, options.clock);
  }

  /** Throws Throttled when the function scales faster than its rate or no host can make room. */
  async claim(version: FunctionVersionConfig): Promise<Claim> {
    const key = this.#keyOf(version);
    const arrivals = this.#arrivalsOf(key);
    arrivals.arrive(this.#options.clock.now());
    const warm = chooseWarmSandbox(this.#table.ofKey(key));
    if (warm !== undefined) return this.#hold(warm, false, arrivals);
    try {
      const refund = this.#scaleUp.take(version.functionName);
      try {
        return this.#hold(await this.#start(version, key, 'on-demand'), true, arrivals);
      } catch (err) {
        refund();
        throw err;
      }
    } catch (err) {
      arrivals.end(this.#options.clock.now());
      throw err;
    }
  }

  #arrivalsOf(key: string): ArrivalTracker {
    let t = this.#arrivals.get(key);
    if (t === undefined) this.#arrivals.set(key, (t = new ArrivalTracker(this.#bins.binMs, this.#bins.bins)));
    return t;
  }

  /** Places, makes room and starts one sandbox; on-demand ones are added busy (for their claim). */
  async #start(version: FunctionVersionConfig, key: string, initType: InitializationType): Promise<SandboxEntry> {
    const issued = await this.#options.credentials?.issue(version);
    let sandbox: HostSandbox;
    try {
      const placed = this.#options.placement.place(version, () => this.#evictable(key));
      for (const id of placed.evict) this.#evict(id);
      const created = await placed.host.createSandbox(version, initType, issued?.credentials);
      sandbox = issued === undefined ? created : revokingOnDestroy(created, issued);
    } catch (err) {
      await issued?.revoke();
      throw err;
    }
    const provisioned = initType === 'provisioned-concurrency';
    if (this.#closed) throw await discard(sandbox, 'shutting down', new Error('the worker manager is closed'));
    if (provisioned && (!sandbox.alive || sandbox.initError !== undefined)) {
      throw await discard(sandbox, `provisioned init failed: ${sandbox.initError ?? 'exited'}`, new ProvisioningError('FUNCTION_ERROR_INIT_FAILURE'));
    }
    const entry = new SandboxEntry(sandbox, key, version.functionName, version.version, this.#options.clock.now(), { busy: !provisioned, provisioned });
    this.#table.add(entry);
    this.#options.logger.info({ sandbox: sandbox.id, function: version.functionName, version: version.version, initType }, 'sandbox started');
    return entry;
  }

  #hold(entry: SandboxEntry, cold: boolean, arrivals: ArrivalTracker): Claim {
    entry.busy = true;
    let released = false;
    return {
      sandbox: entry.sandbox,
      cold,
      release: () => {
        if (released) return;
        released = true;
        entry.busy = false;
        entry.lastUsedMs = this.#options.clock.now();
        arrivals.end(entry.lastUsedMs);
        if (!entry.alive) this.#lose(entry);
        else if (entry.doomed) this.#destroy(entry, 'function changed');
      },
    };
  }

  #keyOf(version: FunctionVersionConfig): string {
    let key = this.#keys.get(version);
    if (key === undefined) this.#keys.set(version, (key = versionKey(version)));
    return key;
  }

  /** Idle on-demand sandboxes of other versions: what placement may evict. */
  #evictable(key: string): EvictionCandidate[] {
    const out: EvictionCandidate[] = [];
    for (const e of this.#table.all()) {
      if (e.busy || !e.alive || e.provisioned || e.key === key) continue;
      out.push({ id: e.id, hostId: e.sandbox.hostId, memoryMb: e.sandbox.memoryMb, lastUsedMs: e.lastUsedMs });
    }
    return out;
  }

  #evict(id: string): void {
    const entry = this.#table.get(id);
    if (entry === undefined || entry.busy) throw new Error(`placement chose sandbox ${id}, which cannot be evicted`);
    this.#options.logger.info({ sandbox: id, function: entry.functionName, version: entry.version }, 'evicting idle sandbox to make room');
    this.#destroy(entry, 'evicted to make room');
  }

  /** Forgets the entry and starts destroying its sandbox (its memory is free at once). */
  #destroy(entry: SandboxEntry, reason: string): Promise<void> {
    this.#table.forget(entry);
    return entry.sandbox.destroy(reason);
  }

  /** A sandbox died on its own: forget it and release what it holds; a provisioned one must be replaced. */
  #lose(entry: SandboxEntry): void {
    if (!this.#table.forget(entry)) return;
    void entry.sandbox.destroy('runtime ended');
    if (entry.provisioned) for (const listener of this.#lostListeners) listener();
  }

  /**
   * Destroys idle on-demand sandboxes past keep-alive or lifetime, forgets dead ones,
   * and hands idle provisioned sandboxes past their lifetime over to on-demand: the
   * reconciler starts their replacements now, and they serve until one is ready.
   */
  async reap(): Promise<void> {
    const now = this.#options.clock.now();
    for (const entry of this.#table.list()) if (!entry.alive && !entry.busy) this.#lose(entry);
    const keepMs = new Map<string, number>();
    const keepAliveOf = (e: SandboxEntry): number => {
      let ms = keepMs.get(e.key);
      if (ms === undefined) {
        const d = this.#keepAlive.decide(this.#arrivals.get(e.key)?.histogram);
        keepMs.set(e.key, (ms = d.preWarmMs + d.keepAliveMs));
      }
      return ms;
    };
    const doomed = sandboxesToReclaim(this.#table.all(), now, keepAliveOf, this.#options.maxLifetimeMs).filter((e) => this.#replaced(e, now));
    this.#pruneArrivals(now);
    const recycled = provisionedToRecycle(this.#table.all(), now, this.#options.maxLifetimeMs);
    for (const entry of recycled) {
      entry.provisioned = false;
      entry.recycledAtMs = now;
      this.#options.logger.info({ sandbox: entry.id, function: entry.functionName, version: entry.version }, 'provisioned sandbox past its lifetime: replaced, then reclaimed');
    }
    if (recycled.length > 0) for (const listener of this.#lostListeners) listener();
    this.#scaleUp.prune();
    await Promise.allSettled(doomed.map((entry) => this.#destroy(entry, 'reclaimed after keep-alive')));
  }

  /** Forgets the idle-time history of versions idle for longer than the histogram's range and without sandboxes. */
  #pruneArrivals(now: number): void {
    const rangeMs = this.#bins.binMs * this.#bins.bins;
    for (const [key, t] of this.#arrivals) {
      if (t.running === 0 && (t.lastEndMs === undefined || now - t.lastEndMs > rangeMs) && this.#table.ofKey(key) === undefined) this.#arrivals.delete(key);
    }
  }

  /** False for a recycled provisioned sandbox whose replacement is not ready yet (for at most RECYCLE_GRACE_MS). */
  #replaced(entry: SandboxEntry, now: number): boolean {
    const since = entry.recycledAtMs;
    if (since === undefined || now - since >= RECYCLE_GRACE_MS) return true;
    return [...(this.#table.ofKey(entry.key) ?? [])].some((o) => o.provisioned && o.alive && o.createdMs >= since);
  }

  /**
   * Retires the sandboxes of a function version (every version when undefined)
   * whose code or configuration changed or which was deleted: idle ones now,
   * busy ones when their invocation ends.
   */
  async retire(functionName: string, version?: string): Promise<void> {
    const doomed: Array<Promise<void>> = [];
    for (const entry of this.#table.list()) {
      if (entry.functionName !== functionName || (version !== undefined && entry.version !== version)) continue;
      if (entry.busy) entry.doomed = true;
      else doomed.push(this.#destroy(entry, 'function changed'));
    }
    await Promise.allSettled(doomed);
  }

  // ---- provisioned sandboxes (ProvisionedSandboxes, for the reconciler) ----

  provisionedCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const e of this.#table.all()) if (e.provisioned && e.alive && !e.doomed) counts.set(e.key, (counts.get(e.key) ?? 0) + 1);
    return counts;
  }

  async startProvisioned(version: FunctionVersionConfig): Promise<void> {
    try {
      await this.#start(version, versionKey(version), 'provisioned-concurrency');
    } catch (err) {
      if (err instanceof ProvisioningError) throw err;
      throw new ProvisioningError(`Failed to start the sandbox: ${(err as Error).message}`, { cause: err });
    }
  }

  dropProvisioned(key: string, count: number): void {
    const mine = [...(this.#table.ofKey(key) ?? [])].filter((e) => e.provisioned).sort((a, b) => Number(a.busy) - Number(b.busy));
    for (const entry of mine.slice(0, count)) {
      entry.provisioned = false; // a busy one finishes its invocation, then lives on as an on-demand sandbox
      this.#options.logger.info({ sandbox: entry.id, function: entry.functionName, version: entry.version, busy: entry.busy }, 'provisioned sandbox given up');
      if (!entry.busy) void this.#destroy(entry, 'provisioned concurrency removed');
    }
  }

  onProvisionedLost(listener: () => void): () => void {
    this.#lostListeners.add(listener);
    return () => this.#lostListeners.delete(listener);
  }

  /** Sandboxes by function version and worker host: idle (warm), busy, and how many of them are provisioned. */
  snapshot(): Array<{ readonly function: string; readonly version: string; readonly host: string; readonly idle: number; readonly busy: number; readonly provisioned: number }> {
    const out = new Map<string, { function: string; version: string; host: string; idle: number; busy: number; provisioned: number }>();
    for (const e of this.#table.all()) {
      const id = `${e.functionName}\0${e.version}\0${e.sandbox.hostId}`;
      let row = out.get(id);
      if (!row) out.set(id, (row = { function: e.functionName, version: e.version, host: e.sandbox.hostId, idle: 0, busy: 0, provisioned: 0 }));
      if (e.busy) row.busy++;
      else if (e.alive) row.idle++;
      if (e.provisioned && e.alive) row.provisioned++;
    }
    return [...out.values()];
  }

  async close(): Promise<void> {
    this.#closed = true;
    const all = this.#table.list();
    this.#table.clear();
    await Promise.allSettled(all.map((e) => e.sandbox.destroy('shutting down')));
  }
}

/** Destroys a sandbox nobody will use and answers the error to throw. */
async function discard(sandbox: HostSandbox, reason: string, error: Error): Promise<Error> {
  await sandbox.destroy(reason).catch(() => undefined);
  return error;
}
