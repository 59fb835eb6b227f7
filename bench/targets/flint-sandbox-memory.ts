/**
 * Finds a Flint server's sandboxes from the outside: every sandbox has a memory
 * cgroup of its own, and all its processes (exec helper, bubblewrap, the runtime)
 * descend from the server process. Processes in the server's own cgroup are not
 * sandboxes, nor are the groups of prepared starts, where only the exec helper
 * waits (`flint-sandbox-helper exec --command-fd`, its comm `flint-sandbox-h`).
 */
import { readFileSync } from 'node:fs';
import { descendantsOf, memoryByCgroup, memoryCgroupOf, type MemoryKb } from '../lib/proc-memory.ts';

const HELPER_COMM = 'flint-sandbox-h';

/** Memory per sandbox cgroup under `serverPid`. */
export function sandboxMemoryKb(serverPid: number): Map<string, MemoryKb> {
  const own = memoryCgroupOf(serverPid);
  const groups = memoryByCgroup(serverPid);
  if (own !== undefined) groups.delete(own);
  const started = new Set<string>();
  for (const pid of descendantsOf(serverPid)) {
    const group = memoryCgroupOf(pid);
    if (group !== undefined && commOf(pid) !== HELPER_COMM) started.add(group);
  }
  for (const group of groups.keys()) if (!started.has(group)) groups.delete(group);
  return groups;
}

function commOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}
