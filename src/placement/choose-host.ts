/**
 * Placement's decision as a pure function: which host gets a new sandbox of M MB.
 *
 * 1. Candidates: healthy, not draining, lease not expired.
 * 2. Room (`roomMb`): within the budget by limits (committed + M <= budget) a sandbox always
 *    fits, since limits alone can never exhaust the machine. Past it (oversubscription, factor
 *    f > 1) a sandbox fits only while committed + M <= budget x f AND measured + M <=
 *    budget x (1 - oomGuard): the guard keeps a slice of the machine free by measured use,
 *    counting the new sandbox at its full limit, so a burst of growth is absorbed before the
 *    kernel's OOM killer has to choose.
 * 3. Among hosts with room: fewest sandboxes of this function first (spread: one host lost
 *    loses few of a function's sandboxes, and correlated load is split), then the least room
 *    left after placing (best fit: pack, so whole hosts stay free), then the id (deterministic).
 */
export interface HostView {
  readonly id: string;
  /** False once the host missed its heartbeats. */
  readonly healthy: boolean;
  /** Being emptied: keeps its sandboxes, gets no new ones. */
  readonly draining?: boolean;
  /** Its lease ran out (or is about to): no new sandboxes. */
  readonly leaseExpired?: boolean;
  /** Memory this host may give to sandboxes (by their limits, before oversubscription). */
  readonly memoryBudgetMb: number;
  /** Sum of the memory limits (MemorySize) of its sandboxes, starting ones included. */
  readonly memoryCommittedMb: number;
  /** Memory its sandboxes use, as measured; a host that cannot measure reports its committed memory. */
  readonly memoryMeasuredMb: number;
  /** Sandboxes of the function being placed that already run on this host. */
  readonly sandboxesOfFunction: number;
}

export interface PlacementPolicy {
  /** Committed limits may reach budget x this (1 = no oversubscription). */
  readonly oversubscription: number;
  /** Share of the budget kept free by measured use once a host is oversubscribed. */
  readonly oomGuard: number;
}

export const NO_OVERSUBSCRIPTION: PlacementPolicy = { oversubscription: 1, oomGuard: 0.1 };

/** May this host take a new sandbox at all (health, drain, lease)? */
export function isCandidate(h: HostView): boolean {
  return h.healthy && h.draining !== true && h.leaseExpired !== true;
}

/** The most memory (by limit) a new sandbox may have on this host now; negative when over. */
export function roomMb(h: HostView, policy: PlacementPolicy): number {
  const withinBudget = h.memoryBudgetMb - h.memoryCommittedMb;
  if (policy.oversubscription <= 1) return withinBudget;
  const byLimits = h.memoryBudgetMb * policy.oversubscription - h.memoryCommittedMb;
  const byMeasure = h.memoryBudgetMb * (1 - policy.oomGuard) - h.memoryMeasuredMb;
  return Math.max(withinBudget, Math.min(byLimits, byMeasure));
}

export function chooseHost(hosts: readonly HostView[], memoryMb: number, policy: PlacementPolicy = NO_OVERSUBSCRIPTION): string | undefined {
  let best: HostView | undefined;
  let bestLeft = 0;
  for (const h of hosts) {
    if (!isCandidate(h)) continue;
    const left = roomMb(h, policy) - memoryMb;
    if (left < 0) continue;
    if (
      best === undefined ||
      h.sandboxesOfFunction < best.sandboxesOfFunction ||
      (h.sandboxesOfFunction === best.sandboxesOfFunction && (left < bestLeft || (left === bestLeft && h.id < best.id)))
    ) {
      best = h;
      bestLeft = left;
    }
  }
  return best?.id;
}
