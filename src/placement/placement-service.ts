import { Throttled, type FunctionVersionConfig, type WorkerHostPort } from '../model/index.ts';
import type { EvictionCandidate, Placement, PlacementPort } from '../worker-manager/index.ts';
import { chooseHost, NO_OVERSUBSCRIPTION, type HostView, type PlacementPolicy } from './choose-host.ts';
import { StaticHostDirectory, type HostDirectory, type PlacedHost } from './host-directory.ts';
import { planEviction } from './plan-eviction.ts';

export interface PlacementServiceOptions {
  /** Where the current hosts come from; a static directory (`register`) when omitted. */
  readonly directory?: HostDirectory;
  readonly policy?: PlacementPolicy;
}

/**
 * Chooses the worker host for each new sandbox among the directory's current hosts:
 * `chooseHost` (healthy, not draining, lease valid; spread a function, then best fit by
 * memory) when one has room, else `planEviction` over the idle sandboxes the worker
 * manager offers (least recently used first). When no host can make room it throws
 * Throttled (ConcurrentInvocationLimitExceeded: the platform's capacity is spent).
 */
export class PlacementService implements PlacementPort {
  readonly #directory: HostDirectory;
  readonly #static: StaticHostDirectory | undefined;
  readonly #policy: PlacementPolicy;

  constructor(options: PlacementServiceOptions = {}) {
    this.#static = options.directory === undefined ? new StaticHostDirectory() : undefined;
    this.#directory = options.directory ?? this.#static!;
    this.#policy = options.policy ?? NO_OVERSUBSCRIPTION;
  }

  /** Adds a host to the built-in static directory (not available with a directory of one's own). */
  register(host: PlacedHost): void {
    if (this.#static === undefined) throw new Error('this placement service reads its hosts from a directory');
    this.#static.register(host);
  }

  /** A host leaves placement (it went silent, drained, or registered again as a new one). */
  unregister(hostId: string): void {
    this.#static?.unregister(hostId);
  }

  place(version: FunctionVersionConfig, evictable: () => readonly EvictionCandidate[]): Placement {
    const hosts = new Map<string, WorkerHostPort>();
    const views: HostView[] = [];
    for (const h of this.#directory.hosts()) {
      hosts.set(h.host.id, h.host);
      views.push(h.view(version.functionName));
    }
    const id = chooseHost(views, version.memorySizeMb, this.#policy);
    if (id !== undefined) return { host: hosts.get(id)!, evict: [] };
    const plan = planEviction(views, evictable(), version.memorySizeMb);
    if (plan === undefined) throw new Throttled('ConcurrentInvocationLimitExceeded');
    return { host: hosts.get(plan.hostId)!, evict: plan.evict };
  }
}
