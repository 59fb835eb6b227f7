import type { PlacedHost } from '../placement/index.ts';
import type { Clock, Logger } from '../shared/index.ts';
import type { HostRecord, HostStore } from '../storage/index.ts';
import { hostCondition, type HostCondition } from './host-health.ts';
import { RemoteWorkerHost } from './remote-worker-host.ts';

/** Where the directory puts the hosts that may take placements (the placement service). */
export interface PlacementRegistry {
  register(host: PlacedHost): void;
  unregister(hostId: string): void;
}

export interface HostDirectoryOptions {
  readonly store: HostStore;
  readonly placement: PlacementRegistry;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Base URL of this front end (hosts fetch code from it); known once it listens. */
  readonly selfEndpoint: () => string;
  readonly refreshMs: number;
  readonly createTimeoutMs: number;
  readonly invokeMarginMs: number;
}

/** One row of `hosts[]` in `/flint/status`. */
export interface HostStatusRow {
  readonly id: string;
  readonly endpoint: string;
  readonly healthy: boolean;
  readonly condition: HostCondition;
  readonly draining: boolean;
  readonly memoryBudgetMb: number;
  readonly memoryInUseMb: number;
  readonly sandboxes: number;
  readonly cpus: number;
  readonly runtimes: readonly string[];
  readonly leaseAgeMs: number;
  readonly leaseRemainingMs: number;
  readonly heartbeatAgeMs: number;
}

interface Known {
  record: HostRecord;
  condition: HostCondition;
  readonly remote: RemoteWorkerHost;
}

/**
 * The front end's view of the registered worker hosts: every `refreshMs` it reads the host
 * store, applies the health rule, and keeps placement's candidates in step. A silent host is
 * lost (its invokes in flight fail at once, its sandboxes are dead) and removed from the store,
 * so that it registers again clean if it comes back. Every front end runs one.
 */
export class HostDirectory {
  readonly #o: HostDirectoryOptions;
  readonly #known = new Map<string, Known>();
  #timer: NodeJS.Timeout | undefined;
  #refreshing: Promise<void> | undefined;

  constructor(options: HostDirectoryOptions) {
    this.#o = options;
  }

  start(): void {
    this.#timer = setInterval(() => void this.refresh(), this.#o.refreshMs);
    this.#timer.unref();
    void this.refresh();
  }

  /** Reads the store once and applies what changed (concurrent calls share one read). */
  refresh(): Promise<void> {
    return (this.#refreshing ??= this.#refresh()
      .catch((err: unknown) => this.#o.logger.warn({ err }, 'could not read the worker hosts'))
      .finally(() => (this.#refreshing = undefined)));
  }

  async #refresh(): Promise<void> {
    const records = await this.#o.store.list();
    const now = this.#o.clock.now();
    const seen = new Set<string>();
    for (const record of records) {
      const condition = hostCondition(record, now);
      if (condition === 'silent') {
        this.#drop(record.id, `missed its heartbeats (last ${now - record.heartbeatMs} ms ago)`);
        await this.#o.store.remove(record.id);
        continue;
      }
      seen.add(record.id);
      const known = this.#known.get(record.id);
      if (known !== undefined && known.record.registeredMs === record.registeredMs && known.record.apiKey === record.apiKey) {
        known.record = record;
        known.condition = condition;
        if (condition !== 'healthy') known.remote.retireIdle();
        continue;
      }
      if (known !== undefined) this.#drop(record.id, 'registered again');
      this.#add(record, condition);
    }
    for (const id of [...this.#known.keys()]) if (!seen.has(id)) this.#drop(id, 'left the cluster');
  }

  #add(record: HostRecord, condition: HostCondition): void {
    const remote = new RemoteWorkerHost({
      id: record.id,
      endpoint: record.endpoint,
      apiKey: record.apiKey,
      codeFrom: this.#o.selfEndpoint,
      createTimeoutMs: this.#o.createTimeoutMs,
      invokeMarginMs: this.#o.invokeMarginMs,
      now: () => this.#o.clock.now(),
    });
    const known: Known = { record, condition, remote };
    this.#known.set(record.id, known);
    this.#o.placement.register({
      host: remote,
      view: (functionName) => {
        const own = remote.usage(functionName);
        // other front ends' sandboxes show in the host's own report; ours count from the moment we ask for them
        const committed = Math.max(own.memoryInUseMb, known.record.memoryInUseMb);
        return {
          id: record.id,
          healthy: known.condition === 'healthy' && remote.reachable(known.record.heartbeatMs),
          draining: known.record.draining,
          leaseExpired: known.record.leaseExpiresMs <= this.#o.clock.now(),
          memoryBudgetMb: known.record.memoryMb,
          // the host reports its sandboxes' limits, not their measured use: never oversubscribed on it yet
          memoryCommittedMb: committed,
          memoryMeasuredMb: committed,
          sandboxesOfFunction: own.sandboxesOfFunction,
        };
      },
    });
    this.#o.logger.info({ host: record.id, endpoint: record.endpoint, memoryMb: record.memoryMb }, 'worker host joined');
  }

  #drop(id: string, reason: string): void {
    const known = this.#known.get(id);
    if (known === undefined) return;
    this.#known.delete(id);
    this.#o.placement.unregister(id);
    known.remote.lose(`worker host ${id} ${reason}`);
    this.#o.logger.warn({ host: id, reason }, 'worker host left placement');
  }

  /** The registration of a host as last read (undefined when unknown to this front end). */
  record(id: string): HostRecord | undefined {
    return this.#known.get(id)?.record;
  }

  rows(): HostStatusRow[] {
    const now = this.#o.clock.now();
    return [...this.#known.values()].map(({ record: r, condition, remote }) => ({
      id: r.id,
      endpoint: r.endpoint,
      healthy: condition === 'healthy' && remote.reachable(r.heartbeatMs),
      condition,
      draining: r.draining,
      memoryBudgetMb: r.memoryMb,
      memoryInUseMb: r.memoryInUseMb,
      sandboxes: r.sandboxes,
      cpus: r.cpus,
      runtimes: r.runtimes,
      leaseAgeMs: now - r.registeredMs,
      leaseRemainingMs: Math.max(0, r.leaseExpiresMs - now),
      heartbeatAgeMs: now - r.heartbeatMs,
    }));
  }

  stop(): void {
    clearInterval(this.#timer);
    for (const id of [...this.#known.keys()]) this.#drop(id, 'front end stopping');
  }
}
