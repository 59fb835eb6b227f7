/**
 * Removal of one instance's network state, found by name only (veth and netns
 * prefixes, chain names, the loopback label), so it works after a crash whatever
 * address block the crashed run had, and never matches another instance.
 */
import { runCommand } from './run-command.ts';
import { slotOfName, slotPlan, type NetworkPlan } from './network-plan.ts';
import { releaseSlotBatch } from './network-commands.ts';

/** Slots of this instance that have a host veth or a named netns. */
export async function listSlots(plan: NetworkPlan): Promise<number[]> {
  const slots = new Set<number>();
  const [links, netns] = await Promise.all([runCommand('ip', ['-o', 'link', 'show']), runCommand('ip', ['netns', 'list'])]);
  for (const m of links.matchAll(/^\d+: ([^:@\s]+)/gm)) {
    const slot = slotOfName(plan, m[1]!);
    if (slot !== undefined) slots.add(slot);
  }
  for (const m of netns.matchAll(/^(\S+)/gm)) {
    const slot = slotOfName(plan, m[1]!);
    if (slot !== undefined) slots.add(slot);
  }
  return [...slots].sort((a, b) => a - b);
}

/** Removes the veths and netns of every slot of this instance not in `keep`. */
export async function removeSlots(plan: NetworkPlan, keep: ReadonlySet<number> = new Set()): Promise<number> {
  const stale = (await listSlots(plan)).filter((s) => !keep.has(s));
  if (stale.length === 0) return 0;
  const batch = stale.map((s) => releaseSlotBatch(slotPlan(plan, s))).join('');
  await runCommand('ip', ['-force', '-batch', '-'], { input: batch, okCodes: [1] });
  return stale.length;
}

/**
 * Removes every slot, the instance's chains (and the jumps to them) and its gateway address. The
 * three share nothing, so their commands run at once (a stop or a start waits for the longest of
 * them, not their sum); each is attempted whatever the others do, and the first failure is thrown.
 */
export async function removeInstanceNetwork(plan: NetworkPlan): Promise<void> {
  await allAttempted([removeSlots(plan), removeChains(plan), removeGatewayAddress(plan)]);
}

/** Waits for every removal, then throws the first failure, if any (one failing does not stop the others). */
async function allAttempted(removals: readonly Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(removals)).find((r) => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}

async function removeGatewayAddress(plan: NetworkPlan): Promise<void> {
  const addrs = await runCommand('ip', ['-o', '-4', 'addr', 'show', 'dev', 'lo']);
  for (const line of addrs.split('\n')) {
    const m = /inet (\S+)\s.*\s(lo:[a-z0-9]+)/.exec(line);
    if (m && m[2] === plan.loopbackLabel) await runCommand('ip', ['addr', 'del', m[1]!, 'dev', 'lo']).catch(() => undefined);
  }
}

/** Every chain named for this instance (`FLINT-<name>-…`, not only today's three), and the jumps to them from other chains. */
async function removeChains(plan: NetworkPlan): Promise<void> {
  const ours = (chain: string) => chain.startsWith(`FLINT-${plan.instanceName}-`);
  const removeFrom = async (table: string): Promise<void> => {
    const rules = await runCommand('iptables', ['-w', '-t', table, '-S']).catch(() => '');
    const deletes: string[] = [];
    const chains: string[] = [];
    for (const line of rules.split('\n')) {
      const jump = /^-A (\S+) .*-j (\S+)$/.exec(line);
      if (jump && !ours(jump[1]!) && ours(jump[2]!)) deletes.push(line.replace(/^-A/, '-D'));
      const chain = /^-N (\S+)$/.exec(line);
      if (chain && ours(chain[1]!)) chains.push(chain[1]!);
    }
    if (deletes.length === 0 && chains.length === 0) return;
    const script = [`*${table}`, ...deletes, ...chains.map((c) => `-F ${c}`), ...chains.map((c) => `-X ${c}`), 'COMMIT', ''].join('\n');
    await runCommand('iptables-restore', ['--noflush', '-w'], { input: script });
  };
  // one table each (iptables' own lock, -w, orders their commits)
  await allAttempted(['filter', 'nat'].map(removeFrom));
}
