/** How the host's top-level system directories appear in sandboxes (merged-/usr or not). */
import { lstatSync, readlinkSync } from 'node:fs';
import type { RootEntry } from './bwrap-args.ts';

export const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'] as const;

export interface HostRoot {
  readonly entries: readonly RootEntry[];
}

/** Each system directory as the same symlink (merged /usr) or a read-only bind; absent ones are skipped. */
export function readHostRoot(): HostRoot {
  const entries: RootEntry[] = [];
  for (const path of SYSTEM_DIRS) {
    let stat;
    try {
      stat = lstatSync(path);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) entries.push({ path, symlink: readlinkSync(path) });
    else if (stat.isDirectory()) entries.push({ path, bind: true });
  }
  return { entries };
}
