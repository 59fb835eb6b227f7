/**
 * cgroup v1: one directory per sandbox in each of the memory, cpu, cpuacct and
 * pids hierarchies (deduplicated when controllers are co-mounted). Memory is
 * capped with memory.limit_in_bytes and, when swap accounting exists,
 * memory.memsw.limit_in_bytes (no swap beyond the limit).
 */
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import {
  cfsBandwidth, changedLimits, cpuShares, MiB, killAll, readKeyed, readNumber, readPids, sleep,
  type CgroupHierarchy, type CgroupMounts, type SandboxCgroup,
} from './cgroups.ts';
import type { SandboxLimits } from './sandbox-driver.ts';

export const V1_CONTROLLERS = ['memory', 'cpu', 'cpuacct', 'pids'] as const;
type Controller = (typeof V1_CONTROLLERS)[number];

export class CgroupV1Hierarchy implements CgroupHierarchy {
  readonly version = 1 as const;
  readonly #parents: ReadonlyMap<Controller, string>;

  /** Pre: every controller in V1_CONTROLLERS is mounted (see readCgroupMounts). */
  constructor(mounts: CgroupMounts, parentName: string) {
    const parents = new Map<Controller, string>();
    for (const c of V1_CONTROLLERS) {
      const dir = mounts.v1.get(c);
      if (dir === undefined) throw new Error(`cgroup v1 controller ${c} is not mounted`);
      parents.set(c, `${dir}/${parentName}`);
    }
    this.#parents = parents;
  }

  open(): void {
    for (const dir of new Set(this.#parents.values())) mkdirSync(dir, { recursive: true });
  }

  create(id: string): SandboxCgroup {
    const group = this.existing(id);
    for (const dir of new Set(this.#dirs(id).values())) mkdirSync(dir);
    return group;
  }

  existing(id: string): SandboxCgroup {
    return new CgroupV1(this.#dirs(id));
  }

  list(): string[] {
    const ids = new Set<string>();
    for (const parent of this.#parents.values()) {
      if (!existsSync(parent)) continue;
      for (const entry of readdirSync(parent)) if (statSync(`${parent}/${entry}`).isDirectory()) ids.add(entry);
    }
    return [...ids];
  }

  close(): void {
    for (const dir of new Set(this.#parents.values())) {
      try {
        rmdirSync(dir);
      } catch {
        /* absent, or another group of this instance still exists */
      }
    }
  }

  #dirs(id: string): Map<Controller, string> {
    return new Map([...this.#parents].map(([c, parent]) => [c, `${parent}/${id}`]));
  }
}

class CgroupV1 implements SandboxCgroup {
  readonly #dirs: ReadonlyMap<Controller, string>;
  /** What this handle wrote last (only Flint writes a sandbox's limits). */
  #applied: SandboxLimits | undefined;
  /** Whether the kernel accounts swap here (memory.memsw.*), looked up at the first apply (a pool cell's start), not at its specialization. */
  #hasMemsw: boolean | undefined;
  readonly procsFiles: readonly string[];

  constructor(dirs: ReadonlyMap<Controller, string>) {
    this.#dirs = dirs;
    this.procsFiles = [...new Set(dirs.values())].map((d) => `${d}/cgroup.procs`);
  }

  apply(limits: SandboxLimits): void {
    const changed = changedLimits(this.#applied, limits);
    if (changed.memory) {
      const memory = this.#dir('memory');
      const bytes = String(limits.memoryMb * MiB);
      const memsw = `${memory}/memory.memsw.limit_in_bytes`;
      const hasMemsw = (this.#hasMemsw ??= existsSync(memsw));
      // memsw must never be below the memory limit: raise it first, lower it last
      const current = this.#applied === undefined ? (readNumber(`${memory}/memory.limit_in_bytes`) ?? 0) : this.#applied.memoryMb * MiB;
      const raising = current <= limits.memoryMb * MiB;
      if (hasMemsw && raising) writeFileSync(memsw, bytes);
      writeFileSync(`${memory}/memory.limit_in_bytes`, bytes);
      if (hasMemsw && !raising) writeFileSync(memsw, bytes);
    }
    if (changed.cpu) {
      const cpu = this.#dir('cpu');
      const { periodUs, quotaUs } = cfsBandwidth(limits.cpuMillis);
      writeFileSync(`${cpu}/cpu.cfs_period_us`, String(periodUs));
      writeFileSync(`${cpu}/cpu.cfs_quota_us`, String(quotaUs));
    }
    if (changed.cpuWeight) writeFileSync(`${this.#dir('cpu')}/cpu.shares`, String(cpuShares(limits)));
    if (changed.pids) writeFileSync(`${this.#dir('pids')}/pids.max`, String(limits.pidsMax));
    this.#applied = limits;
  }

  oomKills(): number {
    return readKeyed(`${this.#dir('memory')}/memory.oom_control`, 'oom_kill') ?? 0;
  }

  memoryUsage(): { peakBytes: number; currentBytes: number } | undefined {
    const memory = this.#dir('memory');
    const peakBytes = readNumber(`${memory}/memory.max_usage_in_bytes`);
    const currentBytes = readNumber(`${memory}/memory.usage_in_bytes`);
    return peakBytes === undefined || currentBytes === undefined ? undefined : { peakBytes, currentBytes };
  }

  cpuUsageNs(): number | undefined {
    return readNumber(`${this.#dir('cpuacct')}/cpuacct.usage`);
  }

  pids(): number[] {
    return [...new Set(this.procsFiles.flatMap(readPids))];
  }

  async remove(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; ; attempt++) {
      killAll(this.pids());
      let busy = 0;
      for (const dir of new Set(this.#dirs.values())) {
        try {
          rmdirSync(dir);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') busy++;
        }
      }
      if (busy === 0) return;
      if (Date.now() > deadline) throw new Error(`cgroup ${this.#dir('memory')} stays busy`);
      await sleep(attempt < 20 ? 1 : 20);
    }
  }

  #dir(c: Controller): string {
    return this.#dirs.get(c)!;
  }
}
