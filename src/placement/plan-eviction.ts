/**
 * Placement's second decision, for when no host has room: which idle sandboxes
 * to evict, and on which host, so that a new sandbox fits. Least recently used
 * first on each host; among hosts, the plan that evicts the fewest sandboxes
 * (then the least memory). Undefined when even evicting every candidate would
 * not make room: the caller refuses the invoke (429), it never waits. Hosts that
 * take no new sandboxes (unhealthy, draining, lease expired) are never planned on.
 */
import { isCandidate, type HostView } from './choose-host.ts';

/** An idle sandbox that may be evicted (the worker manager offers only idle, on-demand ones). */
export interface EvictableSandbox {
  readonly id: string;
  readonly hostId: string;
  readonly memoryMb: number;
  readonly lastUsedMs: number;
}

export interface EvictionPlan {
  readonly hostId: string;
  /** Sandbox ids to destroy, least recently used first. */
  readonly evict: readonly string[];
}

export function planEviction(hosts: readonly HostView[], candidates: readonly EvictableSandbox[], memoryMb: number): EvictionPlan | undefined {
  let best: { plan: EvictionPlan; freedMb: number } | undefined;
  for (const host of hosts) {
    if (!isCandidate(host) || host.memoryBudgetMb < memoryMb) continue;
    const plan = planOnHost(host, candidates, memoryMb);
    if (plan === undefined) continue;
    if (best === undefined || plan.plan.evict.length < best.plan.evict.length || (plan.plan.evict.length === best.plan.evict.length && plan.freedMb < best.freedMb)) {
      best = plan;
    }
  }
  return best?.plan;
}

function planOnHost(host: HostView, candidates: readonly EvictableSandbox[], memoryMb: number): { plan: EvictionPlan; freedMb: number } | undefined {
  // against the budget by limits only (no oversubscription): an evicted sandbox frees its whole limit
  const needMb = memoryMb - (host.memoryBudgetMb - host.memoryCommittedMb);
  const lru = candidates.filter((c) => c.hostId === host.id).sort((a, b) => a.lastUsedMs - b.lastUsedMs);
  const evict: string[] = [];
  let freedMb = 0;
  for (const c of lru) {
    if (freedMb >= needMb) break;
    evict.push(c.id);
    freedMb += c.memoryMb;
  }
  return freedMb >= needMb ? { plan: { hostId: host.id, evict }, freedMb } : undefined;
}
