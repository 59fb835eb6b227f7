/**
 * Removal of everything one driver instance can leave on the machine, found by its
 * name: processes (through its cgroups), cgroups, network namespaces, veths,
 * iptables chains, the gateway address and its state directory. Used at start for
 * the instance's own earlier run, and for a dead instance whose address block is
 * taken over.
 */
import { rmSync } from 'node:fs';
import type { Logger } from '../../shared/index.ts';
import type { InstanceClaim } from './instance-claim.ts';
import { openCgroupHierarchy } from './detect-sandbox-support.ts';
import { removeInstanceNetwork } from './network-cleanup.ts';
import { NETWORK_INDEXES, networkPlan } from './network-plan.ts';

/** Post: no process, cgroup, network state or state directory of instance `name` remains. */
export async function removeInstance(name: string, stateDir: string | undefined): Promise<void> {
  const cgroups = openCgroupHierarchy(`flint-${name}`);
  await Promise.all(cgroups.list().map((id) => cgroups.existing(id).remove(10_000)));
  cgroups.close();
  // only name-derived fields of the plan are used for removal: any block will do
  await removeInstanceNetwork(networkPlan(name, NETWORK_INDEXES[0]!));
  if (stateDir !== undefined) rmSync(stateDir, { recursive: true, force: true });
}

/**
 * Removes what an earlier run of instance `name` left and, when its claim took over a
 * dead instance's block, what that instance left. Call while holding the claims lock:
 * a dead instance is then cleaned by one process only.
 */
export async function removeLeftovers(name: string, claim: InstanceClaim, logger?: Logger): Promise<void> {
  const predecessor = claim.predecessor;
  if (predecessor !== undefined && predecessor.name !== name) {
    logger?.info({ instance: predecessor.name }, 'removing what a dead sandbox instance left');
    await removeInstance(predecessor.name, predecessor.stateDir);
  }
  await removeInstance(name, undefined);
}
