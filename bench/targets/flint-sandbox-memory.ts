/**
 * Finds a Flint server's sandboxes from the outside: every sandbox has a memory
 * cgroup of its own, and all its processes (exec helper, bubblewrap, the runtime)
 * descend from the server process. Processes in the server's own cgroup are not
 * sandboxes.
 */
import { memoryByCgroup, memoryCgroupOf, type MemoryKb } from '../lib/proc-memory.ts';

/** Memory per sandbox cgroup under `serverPid`. */
export function sandboxMemoryKb(serverPid: number): Map<string, MemoryKb> {
  const own = memoryCgroupOf(serverPid);
  const groups = memoryByCgroup(serverPid);
  if (own !== undefined) groups.delete(own);
  return groups;
}
