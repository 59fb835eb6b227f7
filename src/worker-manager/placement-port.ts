/**
 * What the worker manager needs from the placement service (its port): a host
 * for each new sandbox, making room by eviction when every host is full.
 */
import type { FunctionVersionConfig, WorkerHostPort } from '../model/index.ts';

/** An idle on-demand sandbox the worker manager is willing to give up for a new one. */
export interface EvictionCandidate {
  readonly id: string;
  readonly hostId: string;
  readonly memoryMb: number;
  /** When its last invocation ended: the least recently used go first. */
  readonly lastUsedMs: number;
}

export interface Placement {
  readonly host: WorkerHostPort;
  /**
   * Ids of idle sandboxes (among the candidates offered) that must be destroyed
   * for the new one to fit. The caller destroys them and calls
   * `host.createSandbox` without yielding in between, so that no other placement
   * sees the memory twice (hosts count a sandbox from the moment each call starts).
   */
  readonly evict: readonly string[];
}

export interface PlacementPort {
  /**
   * Chooses the host for a new sandbox of `version`. `evictable` is asked only
   * when no host has room. Throws Throttled (ConcurrentInvocationLimitExceeded)
   * when no healthy host can make room: a full platform refuses at once, it never makes callers wait.
   */
  place(version: FunctionVersionConfig, evictable: () => readonly EvictionCandidate[]): Placement;
}
