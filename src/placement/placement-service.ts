import { Throttled, type FunctionVersionConfig, type WorkerHostPort } from '../model/index.ts';
import type { EvictionCandidate, Placement, PlacementPort } from '../worker-manager/index.ts';
import { chooseHost, type HostView } from './choose-host.ts';
import { planEviction } from './plan-eviction.ts';

/** A worker host as placement tracks it. */
export interface PlacedHost {
  readonly host: WorkerHostPort;
  /**
   * Current view of the host's capacity and the function's sandboxes on it. The
   * memory in use counts sandboxes from the start of `createSandbox` until their
   * destruction starts, so consecutive placements never hand out the same memory.
   */
  view(functionName: string): HostView;
}

/**
 * Chooses the worker host for each new sandbox among the registered hosts:
 * `chooseHost` (spread a function, pack by memory) when one has room, else
 * `planEviction` over the idle sandboxes the worker manager offers (least
 * recently used first). When no host can make room it throws Throttled
 * (ConcurrentInvocationLimitExceeded: the platform's capacity is spent).
 */
export class PlacementService implements PlacementPort {
  readonly #hosts: PlacedHost[] = [];

  register(host: PlacedHost): void {
    this.#hosts.push(host);
  }

  /** A host leaves placement (it went silent, drained, or registered again as a new one). */
  unregister(hostId: string): void {
    const i = this.#hosts.findIndex((h) => h.host.id === hostId);
    if (i >= 0) this.#hosts.splice(i, 1);
  }

  place(version: FunctionVersionConfig, evictable: () => readonly EvictionCandidate[]): Placement {
    const views = this.#hosts.map((h) => h.view(version.functionName));
    const id = chooseHost(views, version.memorySizeMb);
    if (id !== undefined) return { host: this.#host(id), evict: [] };
    const plan = planEviction(views, evictable(), version.memorySizeMb);
    if (plan === undefined) throw new Throttled('ConcurrentInvocationLimitExceeded');
    return { host: this.#host(plan.hostId), evict: plan.evict };
  }

  #host(id: string): WorkerHostPort {
    return this.#hosts.find((h) => h.host.id === id)!.host;
  }
}
