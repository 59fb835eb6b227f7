/**
 * Finds a Flint server's sandboxes from the outside: every sandbox has a memory
 * cgroup of its own, and all its processes (exec helper, bubblewrap, the runtime)
 * descend from the server process. Processes in the server's own cgroup are not
 * sandboxes.
 */
import { memoryCgroupOf, pssByCgroup } from '../lib/proc-memory.ts';

/** PSS in KiB per sandbox cgroup under `serverPid`. */
export function sandboxPssKb(serverPid: number): Map<string, number> {
  const own = memoryCgroupOf(serverPid);
  const groups = pssByCgroup(serverPid);
  if (own !== undefined) groups.delete(own);
  return groups;
}
