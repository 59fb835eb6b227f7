/**
 * Removal of everything one driver instance can leave on the machine, found by its
 * name: processes (through its cgroups), cgroups, network namespaces, veths,
 * iptables chains, the gateway address and its state directory. Used at start for
 * every dead instance on the machine (whatever block it held, claimed or not), and
 * for the instance's own earlier run.
 */
import { rmSync } from 'node:fs';
import type { Logger } from '../../shared/index.ts';
import { DEFAULT_CLAIM_DIR, SANDBOX_STATE_ROOT, dropDeadClaim, readClaims, type InstanceClaim } from './instance-claim.ts';
import { deadInstances } from './dead-instances.ts';
import { instanceNamesOnMachine } from './instance-names-on-machine.ts';
import { openCgroupHierarchy } from './detect-sandbox-support.ts';
import { removeInstanceNetwork } from './network-cleanup.ts';
import { NETWORK_INDEXES, networkPlan } from './network-plan.ts';

/** Post: no process, cgroup, network state or given state directory of instance `name` remains. */
export async function removeInstance(name: string, stateDirs: readonly string[]): Promise<void> {
  const cgroups = openCgroupHierarchy(`flint-${name}`);
  // the cgroups first: a namespace still holding a process would outlive its name
  await Promise.all(cgroups.list().map((id) => cgroups.existing(id).remove(10_000)));
  cgroups.close();
  // only name-derived fields of the plan are used for removal: any block will do
  await removeInstanceNetwork(networkPlan(name, NETWORK_INDEXES[0]!));
  for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
}

/**
 * Removes what every dead instance on the machine left, and then its claims, so that
 * nothing of theirs can collide with a new instance (a block, an address, a name) or
 * pile up across crashes. Never touches an instance whose claim's process lives.
 * Call while holding the claims lock: no instance then claims or reaps meanwhile. An
 * instance that cannot be removed is logged and keeps its claim (its block stays taken).
 * Answers the names found on the machine before the reaping (see removeLeftovers).
 */
export async function reapDeadInstances(logger?: Logger, claimDir = DEFAULT_CLAIM_DIR, stateRoot = SANDBOX_STATE_ROOT): Promise<ReadonlySet<string>> {
  const claims = readClaims(claimDir);
  const namesOnMachine = await instanceNamesOnMachine(stateRoot);
  const dead = deadInstances(claims, namesOnMachine, (name) => `${stateRoot}/${name}`);
  for (const instance of dead) {
    try {
      if (instance.name !== undefined) {
        logger?.info({ instance: instance.name }, 'removing what a dead sandbox instance left');
        await removeInstance(instance.name, instance.stateDirs);
      }
      for (const index of instance.claims) dropDeadClaim(index, claimDir);
    } catch (err) {
      logger?.warn({ err, instance: instance.name }, 'could not remove what a dead sandbox instance left');
    }
  }
  return namesOnMachine;
}

/**
 * Removes what an earlier run of instance `name` left and, when its claim took over a
 * dead instance's block, what that instance left. Call while holding the claims lock.
 * `namesOnMachine` is what reapDeadInstances found under the same lock: an earlier run
 * that left nothing of its own (it stopped cleanly) costs no removal, since that scan
 * finds every kind of thing removeInstance removes.
 */
export async function removeLeftovers(name: string, claim: InstanceClaim, namesOnMachine: ReadonlySet<string>, logger?: Logger): Promise<void> {
  const predecessor = claim.predecessor;
  if (predecessor !== undefined && predecessor.name !== name) {
    logger?.info({ instance: predecessor.name }, 'removing what a dead sandbox instance left');
    await removeInstance(predecessor.name, [predecessor.stateDir]);
  }
  if (namesOnMachine.has(name)) await removeInstance(name, []);
}
