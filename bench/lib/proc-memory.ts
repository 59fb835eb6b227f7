/**
 * Memory of processes as Linux accounts it: PSS (proportional set size: private
 * pages plus a fair share of shared ones) and USS (private pages only) from
 * /proc/<pid>/smaps_rollup, the
 * process tree from /proc/<pid>/stat, and each process's memory cgroup, so a
 * benchmark can find a server's sandboxes from the outside.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Memory of a process or a group of them, KiB: PSS, and USS (private pages only: what ending it would free). */
export interface MemoryKb {
  readonly pss: number;
  readonly uss: number;
}

/** PSS and USS of one process in KiB; zeros when it is gone or unreadable. */
export function memoryKb(pid: number): MemoryKb {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? 0);
    return { pss: field('Pss'), uss: field('Private_Clean') + field('Private_Dirty') };
  } catch {
    return { pss: 0, uss: 0 };
  }
}

export const pssKb = (pid: number): number => memoryKb(pid).pss;

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name may hold spaces and parentheses: fields start after the last ')'
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** Every live descendant of `root` (children, grandchildren, ...), not `root` itself. */
export function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const parent = parentOf(pid);
    if (parent === undefined) continue;
    children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

/** The memory cgroup of a process (cgroup v1 `memory` line, else the v2 `0::` line). */
export function memoryCgroupOf(pid: number): string | undefined {
  try {
    const lines = readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n');
    const v1 = lines.find((l) => l.split(':')[1]?.split(',').includes('memory'));
    return (v1 ?? lines.find((l) => l.startsWith('0::')))?.split(':').slice(2).join(':');
  } catch {
    return undefined;
  }
}

/** Memory of the descendants of `root`, summed per memory cgroup path. */
export function memoryByCgroup(root: number): Map<string, MemoryKb> {
  const groups = new Map<string, MemoryKb>();
  for (const pid of descendantsOf(root)) {
    const group = memoryCgroupOf(pid);
    if (group === undefined) continue;
    const sum = groups.get(group) ?? { pss: 0, uss: 0 };
    const one = memoryKb(pid);
    groups.set(group, { pss: sum.pss + one.pss, uss: sum.uss + one.uss });
  }
  return groups;
}
