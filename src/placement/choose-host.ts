/**
 * Placement's decision as a pure function: which healthy host gets a new sandbox.
 * Spread one function's sandboxes over hosts (fewest of this function first), then
 * pack by memory (the fullest host that still fits), so whole hosts stay free.
 */
export interface HostView {
  readonly id: string;
  readonly healthy: boolean;
  readonly memoryBudgetMb: number;
  readonly memoryInUseMb: number;
  /** Sandboxes of the function being placed that already run on this host. */
  readonly sandboxesOfFunction: number;
}

export function chooseHost(hosts: readonly HostView[], memoryMb: number): string | undefined {
  let best: HostView | undefined;
  for (const h of hosts) {
    if (!h.healthy || h.memoryBudgetMb - h.memoryInUseMb < memoryMb) continue;
    if (
      best === undefined ||
      h.sandboxesOfFunction < best.sandboxesOfFunction ||
      (h.sandboxesOfFunction === best.sandboxesOfFunction && h.memoryInUseMb > best.memoryInUseMb)
    ) {
      best = h;
    }
  }
  return best?.id;
}
