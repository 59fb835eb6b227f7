/**
 * cgroup v2 (unified hierarchy): one group per sandbox under `flint-<instance>/`,
 * with memory.max (and memory.swap.max = 0), cpu.max, pids.max. Used only where the
 * memory, cpu and pids controllers are available in the unified hierarchy; this
 * machine binds them to v1, so this implementation is not exercised by its tests.
 */
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import {
  BACKGROUND_CPU_WEIGHT, cfsBandwidth, changedLimits, DEFAULT_CPU_WEIGHT, MiB, killAll, readKeyed, readNumber, readPids, sleep,
  type CgroupHierarchy, type SandboxCgroup,
} from './cgroups.ts';
import type { SandboxLimits } from './sandbox-driver.ts';

export const V2_CONTROLLERS = ['memory', 'cpu', 'pids'] as const;

export class CgroupV2Hierarchy implements CgroupHierarchy {
  readonly version = 2 as const;
  readonly #root: string;
  readonly #parent: string;

  constructor(mountDir: string, parentName: string) {
    this.#root = mountDir;
    this.#parent = `${mountDir}/${parentName}`;
  }

  open(): void {
    const enable = V2_CONTROLLERS.map((c) => `+${c}`).join(' ');
    writeFileSync(`${this.#root}/cgroup.subtree_control`, enable);
    mkdirSync(this.#parent, { recursive: true });
    writeFileSync(`${this.#parent}/cgroup.subtree_control`, enable);
  }

  create(id: string): SandboxCgroup {
    mkdirSync(`${this.#parent}/${id}`);
    return this.existing(id);
  }

  existing(id: string): SandboxCgroup {
    return new CgroupV2(`${this.#parent}/${id}`);
  }

  list(): string[] {
    if (!existsSync(this.#parent)) return [];
    return readdirSync(this.#parent).filter((e) => statSync(`${this.#parent}/${e}`).isDirectory());
  }

  close(): void {
    try {
      rmdirSync(this.#parent);
    } catch {
      /* absent or not empty */
    }
  }
}

class CgroupV2 implements SandboxCgroup {
  readonly #dir: string;
  /** What this handle wrote last (only Flint writes a sandbox's limits). */
  #applied: SandboxLimits | undefined;
  readonly procsFiles: readonly string[];

  constructor(dir: string) {
    this.#dir = dir;
    this.procsFiles = [`${dir}/cgroup.procs`];
  }

  apply(limits: SandboxLimits): void {
    const changed = changedLimits(this.#applied, limits);
    if (changed.memory) {
      writeFileSync(`${this.#dir}/memory.max`, String(limits.memoryMb * MiB));
      if (this.#applied === undefined && existsSync(`${this.#dir}/memory.swap.max`)) writeFileSync(`${this.#dir}/memory.swap.max`, '0');
    }
    if (changed.cpu) {
      const { periodUs, quotaUs } = cfsBandwidth(limits.cpuMillis);
      writeFileSync(`${this.#dir}/cpu.max`, `${quotaUs} ${periodUs}`);
    }
    // the kernel's default weight until a background cell lowers it (v2 weights are not proportional to the quota)
    if (changed.cpuWeight && (limits.background === true || this.#applied?.background === true)) {
      writeFileSync(`${this.#dir}/cpu.weight`, String(limits.background === true ? BACKGROUND_CPU_WEIGHT : DEFAULT_CPU_WEIGHT));
    }
    if (changed.pids) writeFileSync(`${this.#dir}/pids.max`, String(limits.pidsMax));
    this.#applied = limits;
  }

  oomKills(): number {
    return readKeyed(`${this.#dir}/memory.events`, 'oom_kill') ?? 0;
  }

  memoryUsage(): { peakBytes: number; currentBytes: number } | undefined {
    const currentBytes = readNumber(`${this.#dir}/memory.current`);
    if (currentBytes === undefined) return undefined;
    return { peakBytes: readNumber(`${this.#dir}/memory.peak`) ?? currentBytes, currentBytes };
  }

  cpuUsageNs(): number | undefined {
    const usec = readKeyed(`${this.#dir}/cpu.stat`, 'usage_usec');
    return usec === undefined ? undefined : usec * 1000;
  }

  pids(): number[] {
    return readPids(this.procsFiles[0]!);
  }

  async remove(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        writeFileSync(`${this.#dir}/cgroup.kill`, '1');
      } catch {
        killAll(this.pids());
      }
      try {
        rmdirSync(this.#dir);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      }
      if (Date.now() > deadline) throw new Error(`cgroup ${this.#dir} stays busy`);
      await sleep(attempt < 20 ? 1 : 20);
    }
  }
}
