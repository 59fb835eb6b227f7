/**
 * Memory of processes as Linux accounts it: PSS (proportional set size: private
 * pages plus a fair share of shared ones) from /proc/<pid>/smaps_rollup, the
 * process tree from /proc/<pid>/stat, and each process's memory cgroup, so a
 * benchmark can find a server's sandboxes from the outside.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** PSS of one process in KiB; 0 when it is gone or unreadable. */
export function pssKb(pid: number): number {
  try {
    return Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

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

/** Total PSS in KiB of the descendants of `root`, grouped by memory cgroup path. */
export function pssByCgroup(root: number): Map<string, number> {
  const groups = new Map<string, number>();
  for (const pid of descendantsOf(root)) {
    const group = memoryCgroupOf(pid);
    if (group === undefined) continue;
    groups.set(group, (groups.get(group) ?? 0) + pssKb(pid));
  }
  return groups;
}
