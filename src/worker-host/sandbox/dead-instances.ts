/**
 * Which driver instances on the machine are dead, from the claims and the names
 * found on the machine. Pure. An instance lives while the process of its claim does;
 * a name found on the machine (cgroups, network namespaces, chains, gateway address,
 * state directory) without a live claim belongs to a dead instance, with or without
 * a claim of its own left (claims are written before anything is created and removed
 * after everything was, so a live instance always has one).
 */
import type { FoundClaim } from './instance-claim.ts';
import { INSTANCE_NAME_PATTERN } from './network-plan.ts';

export interface DeadInstance {
  /** Undefined for claims whose owner is unknown (unreadable, invalid name) or lives on under another claim: only the files go. */
  readonly name: string | undefined;
  /** State directories to remove. */
  readonly stateDirs: readonly string[];
  /** Claim files (block indexes) to delete once the leftovers are gone. */
  readonly claims: readonly number[];
}

/** Post: no name held by a live claim is in the result; each dead name appears once. */
export function deadInstances(claims: readonly FoundClaim[], namesOnMachine: Iterable<string>, defaultStateDir: (name: string) => string): DeadInstance[] {
  const live = new Set(claims.flatMap((c) => (c.alive && c.owner ? [c.owner.name] : [])));
  const dead = new Map<string | undefined, { stateDirs: Set<string>; claims: number[] }>();
  const add = (name: string | undefined, stateDir: string | undefined, claim: number | undefined) => {
    const entry = dead.get(name) ?? { stateDirs: new Set<string>(), claims: [] };
    dead.set(name, entry);
    if (stateDir !== undefined) entry.stateDirs.add(stateDir);
    if (claim !== undefined) entry.claims.push(claim);
  };
  for (const claim of claims) {
    if (claim.alive) continue;
    // an invalid name (its start failed before anything was created) names nothing on the machine
    const owner = claim.owner !== undefined && !live.has(claim.owner.name) && INSTANCE_NAME_PATTERN.test(claim.owner.name) ? claim.owner : undefined;
    add(owner?.name, owner?.stateDir, claim.index);
  }
  for (const name of namesOnMachine) if (!live.has(name)) add(name, defaultStateDir(name), undefined);
  return [...dead].map(([name, e]) => ({ name, stateDirs: [...e.stateDirs], claims: e.claims }));
}
