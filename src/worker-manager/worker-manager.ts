import type { FunctionVersionConfig } from '../model/index.ts';
import type { Clock, Logger } from '../shared/index.ts';
import { chooseWarmSandbox, sandboxesToReclaim } from './choose-sandbox.ts';
import type { HostSandbox, WorkerHostPort } from './host-port.ts';

/** Chooses the worker host for a new sandbox (the placement service's face toward us). */
export interface PlacementPort {
  chooseHost(version: FunctionVersionConfig): WorkerHostPort;
}

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
  readonly idleTimeoutMs: number;
  readonly maxLifetimeMs: number;
}

interface Entry {
  readonly sandbox: HostSandbox;
  readonly createdMs: number;
  lastUsedMs: number;
  busy: boolean;
}

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
 * sandbox of the same version (most recently used first), else starts one through
 * placement (a cold start). Never gives one sandbox two invocations at once.
 */
export class WorkerManager {
  readonly #o: WorkerManagerOptions;
  readonly #byVersion = new Map<string, Map<string, Entry>>();
  /** versionKey per config object: configs are immutable and cached by the resolver, so this spares the hot path. */
  readonly #keys = new WeakMap<FunctionVersionConfig, string>();

  constructor(options: WorkerManagerOptions) {
    this.#o = options;
  }

  async claim(version: FunctionVersionConfig): Promise<Claim> {
    let key = this.#keys.get(version);
    if (key === undefined) this.#keys.set(version, (key = versionKey(version)));
    const entries = this.#byVersion.get(key);
    if (entries) {
      const id = chooseWarmSandbox(idleViews(entries));
      const entry = id === undefined ? undefined : entries.get(id);
      if (entry) return this.#hold(key, entry, false);
    }
    const host = this.#o.placement.chooseHost(version);
    const sandbox = await host.createSandbox(version, 'on-demand');
    const now = this.#o.clock.now();
    const entry: Entry = { sandbox, createdMs: now, lastUsedMs: now, busy: false };
    let map = this.#byVersion.get(key);
    if (!map) this.#byVersion.set(key, (map = new Map()));
    map.set(sandbox.id, entry);
    this.#o.logger.info({ sandbox: sandbox.id, function: version.functionName, version: version.version }, 'cold start');
    return this.#hold(key, entry, true);
  }

  #hold(key: string, entry: Entry, cold: boolean): Claim {
    entry.busy = true;
    let released = false;
    return {
      sandbox: entry.sandbox,
      cold,
      release: () => {
        if (released) return;
        released = true;
        entry.busy = false;
        entry.lastUsedMs = this.#o.clock.now();
        if (!entry.sandbox.alive) this.#forget(key, entry.sandbox.id);
      },
    };
  }

  #forget(key: string, id: string): void {
    const map = this.#byVersion.get(key);
    map?.delete(id);
    if (map?.size === 0) this.#byVersion.delete(key);
  }

  /** Destroys idle sandboxes past keep-alive or lifetime, and forgets dead ones. */
  async reap(): Promise<void> {
    const now = this.#o.clock.now();
    const doomed: Array<Promise<void>> = [];
    for (const [key, map] of this.#byVersion) {
      for (const entry of [...map.values()]) if (!entry.sandbox.alive && !entry.busy) this.#forget(key, entry.sandbox.id);
      for (const id of sandboxesToReclaim(idleViews(map), now, this.#o.idleTimeoutMs, this.#o.maxLifetimeMs)) {
        const entry = map.get(id)!;
        this.#forget(key, id);
        doomed.push(entry.sandbox.destroy('reclaimed after keep-alive'));
      }
    }
    await Promise.allSettled(doomed);
  }

  /** Destroys the idle sandboxes of a function (its code or configuration changed, or it was deleted). */
  async retire(functionName: string): Promise<void> {
    const doomed: Array<Promise<void>> = [];
    for (const [key, map] of this.#byVersion) {
      if (!key.startsWith(`${functionName}\0`)) continue;
      for (const entry of [...map.values()]) {
        if (entry.busy) continue;
        this.#forget(key, entry.sandbox.id);
        doomed.push(entry.sandbox.destroy('function changed'));
      }
    }
    await Promise.allSettled(doomed);
  }

  /** Sandboxes per function version and state, for status pages and metrics. */
  snapshot(): Array<{ readonly function: string; readonly version: string; readonly idle: number; readonly busy: number }> {
    const out = new Map<string, { function: string; version: string; idle: number; busy: number }>();
    for (const [key, map] of this.#byVersion) {
      const [fn = '', version = ''] = key.split('\0');
      let row = out.get(`${fn}\0${version}`);
      if (!row) out.set(`${fn}\0${version}`, (row = { function: fn, version, idle: 0, busy: 0 }));
      for (const e of map.values()) {
        if (e.busy) row.busy++;
        else if (e.sandbox.alive) row.idle++;
      }
    }
    return [...out.values()];
  }

  async close(): Promise<void> {
    const all = [...this.#byVersion.values()].flatMap((m) => [...m.values()]);
    this.#byVersion.clear();
    await Promise.allSettled(all.map((e) => e.sandbox.destroy('shutting down')));
  }
}

function* idleViews(map: Map<string, Entry>): Iterable<{ id: string; lastUsedMs: number; createdMs: number }> {
  for (const e of map.values()) if (!e.busy && e.sandbox.alive) yield { id: e.sandbox.id, lastUsedMs: e.lastUsedMs, createdMs: e.createdMs };
}
