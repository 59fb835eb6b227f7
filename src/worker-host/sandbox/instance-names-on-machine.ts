/**
 * Names of every driver instance that has something on this machine, found by the
 * names it gives its cgroups (`flint-<name>`), network namespaces (`flint-<name>-<slot>`),
 * iptables chains (`FLINT-<name>-…`), gateway address (label `lo:<name>`, link-local)
 * and state directory (`<state root>/<name>`). Host veths are not read: `fl<name>-<n>`
 * could be another program's device, and a veth goes with its namespace anyway.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readCgroupMounts, type CgroupMounts } from './cgroups.ts';
import { V1_CONTROLLERS } from './cgroup-v1.ts';
import { INSTANCE_NAME as NAME } from './network-plan.ts';
import { runCommand } from './run-command.ts';

export function namesFromNetnsList(list: string): string[] {
  return [...list.matchAll(new RegExp(`^flint-(${NAME})-[1-9][0-9]{0,3}(?:\\s|$)`, 'gm'))].map((m) => m[1]!);
}

export function namesFromIptables(rules: string): string[] {
  return [...rules.matchAll(new RegExp(`^-N FLINT-(${NAME})-\\S+$`, 'gm'))].map((m) => m[1]!);
}

/** From `ip -o -4 addr show dev lo`: labels `lo:<name>` on a link-local address. */
export function namesFromLoopback(addrs: string): string[] {
  return [...addrs.matchAll(new RegExp(`inet 169\\.254\\.\\d+\\.\\d+/\\d+ .*\\blo:(${NAME})\\b`, 'gm'))].map((m) => m[1]!);
}

/**
 * Network blocks whose gateway address (169.254.8i.1) is on the loopback device under
 * any label but `lo:<exceptName>`: in use on the machine, claimed or not.
 */
export function blocksOnLoopback(addrs: string, exceptName: string): Set<number> {
  const blocks = new Set<number>();
  for (const m of addrs.matchAll(/inet 169\.254\.(\d+)\.1\/\d+ (.*)$/gm)) {
    const third = Number(m[1]);
    if (third % 8 === 0 && !new RegExp(`\\blo:${exceptName}\\b`).test(m[2]!)) blocks.add(third / 8);
  }
  return blocks;
}

/** Network blocks in use on the machine by anything but instance `name` (see blocksOnLoopback). */
export async function occupiedBlocks(name: string): Promise<Set<number>> {
  return blocksOnLoopback(await runCommand('ip', ['-o', '-4', 'addr', 'show', 'dev', 'lo']), name);
}

export function namesFromCgroupDirs(entries: readonly string[]): string[] {
  return entries.flatMap((e) => new RegExp(`^flint-(${NAME})$`).exec(e)?.[1] ?? []);
}

export function namesFromStateDirs(entries: readonly string[]): string[] {
  return entries.filter((e) => new RegExp(`^${NAME}$`).test(e) && e !== 'claims');
}

export async function instanceNamesOnMachine(stateRoot: string, mounts: CgroupMounts = readCgroupMounts()): Promise<Set<string>> {
  const names = new Set<string>();
  const addAll = (found: readonly string[]) => found.forEach((n) => names.add(n));
  const cgroupRoots = [...V1_CONTROLLERS.flatMap((c) => mounts.v1.get(c) ?? []), ...(mounts.v2 ? [mounts.v2.dir] : [])];
  for (const root of new Set(cgroupRoots)) addAll(namesFromCgroupDirs(subdirs(root)));
  addAll(namesFromStateDirs(subdirs(stateRoot)));
  // the four listings at once: each is a process to start, and a Flint start waits for them
  const [netns, loopback, ...tables] = await Promise.all([
    runCommand('ip', ['netns', 'list']),
    runCommand('ip', ['-o', '-4', 'addr', 'show', 'dev', 'lo']),
    ...['filter', 'nat'].map((table) => runCommand('iptables', ['-w', '-t', table, '-S']).catch(() => '')),
  ]);
  addAll(namesFromNetnsList(netns));
  addAll(namesFromLoopback(loopback));
  for (const rules of tables) addAll(namesFromIptables(rules));
  return names;
}

function subdirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((e) => {
    try {
      return statSync(`${dir}/${e}`).isDirectory();
    } catch {
      return false;
    }
  });
}
