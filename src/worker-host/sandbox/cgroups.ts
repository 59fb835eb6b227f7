/**
 * Control groups of sandboxes, behind one small interface with a cgroup v1
 * (separate hierarchies per controller, as on this machine) and a cgroup v2
 * (unified) implementation. Every group of one driver instance lives under
 * `flint-<instance>/`, so cleanup never touches anything else.
 */
import { readFileSync } from 'node:fs';
import type { SandboxLimits } from './sandbox-driver.ts';

/** The control groups of one sandbox. */
export interface SandboxCgroup {
  /**
   * `cgroup.procs` files, one per hierarchy. The spawn helper writes its own pid
   * into each before it execs bubblewrap, so every sandbox process starts inside
   * the groups (no window in which it runs unlimited).
   */
  readonly procsFiles: readonly string[];
  /**
   * Writes limits (memory, CPU quota, process count): only those that differ from what this handle
   * applied last (each cgroup file write is ~10-30 µs, and the limits restored after a boosted init
   * phase sit between a cold start's init and its first invocation). Never attaches.
   */
  apply(limits: SandboxLimits): void;
  /** How many processes the kernel's OOM killer ended in this group. */
  oomKills(): number;
  memoryUsage(): { readonly peakBytes: number; readonly currentBytes: number } | undefined;
  /** CPU time used by the group, in nanoseconds, if the hierarchy accounts it. */
  cpuUsageNs(): number | undefined;
  /** Host pids of every process in the group. */
  pids(): number[];
  /**
   * SIGKILLs whatever is still in the group and removes it. Post: the groups are
   * gone. Rejects if they stay busy for `timeoutMs`.
   */
  remove(timeoutMs?: number): Promise<void>;
}

/** The cgroup hierarchy (v1 or v2) of one driver instance. */
export interface CgroupHierarchy {
  readonly version: 1 | 2;
  /** Creates the instance's parent groups (idempotent). */
  open(): void;
  /** Creates the groups of a new sandbox. Pre: `id` is not in use. */
  create(id: string): SandboxCgroup;
  /** A handle on groups left by an earlier run (for stale cleanup). */
  existing(id: string): SandboxCgroup;
  /** Ids of every sandbox group of this instance. */
  list(): string[];
  /** Removes the instance's parent groups; they must be empty. */
  close(): void;
}

export const MiB = 1024 * 1024;
/**
 * CFS bandwidth period of a sandbox: the kernel's default 100 ms. Shorter periods
 * (10, 13.9 and 20 ms; 13.9 ms again with a burst of one quota after the Node runtime
 * client's CPU per invoke was halved) were measured (bench/small-function-tail.ts,
 * docs/data-plane.md): a saturated 128 MB function asks for more than its share whatever
 * the period, so a shorter one only spreads the wait over every invoke (its p50 rises)
 * without bringing its p99 down, while a quota smaller than one invoke's CPU made
 * ordinary, sporadic invokes slower (p99 10.6 -> 18-30 ms).
 */
export const CFS_PERIOD_US = 100_000;
/** The kernel refuses a quota under 1 ms (and a period under 1 ms or over 1 s). */
export const CFS_MIN_QUOTA_US = 1000;
const CFS_MAX_PERIOD_US = 1_000_000;

/** Which of a group's limits `next` changes from `applied` (everything when nothing was applied yet). */
export function changedLimits(applied: SandboxLimits | undefined, next: SandboxLimits): { memory: boolean; cpu: boolean; cpuWeight: boolean; pids: boolean } {
  const cpu = applied?.cpuMillis !== next.cpuMillis;
  return {
    memory: applied?.memoryMb !== next.memoryMb,
    cpu,
    cpuWeight: cpu || (applied?.background === true) !== (next.background === true),
    pids: applied?.pidsMax !== next.pidsMax,
  };
}

/** Lowest CPU weight of a cgroup v1 group (`cpu.shares`), given to cells waiting in the pool. */
export const BACKGROUND_CPU_SHARES = 2;
/** Lowest CPU weight of a cgroup v2 group (`cpu.weight`), given to cells waiting in the pool. */
export const BACKGROUND_CPU_WEIGHT = 1;
/** The kernel's default `cpu.weight` of a cgroup v2 group. */
export const DEFAULT_CPU_WEIGHT = 100;

/** cgroup v1 `cpu.shares` of `limits`: 1024 per CPU, or the lowest for a background cell. */
export function cpuShares(limits: SandboxLimits): number {
  return limits.background === true ? BACKGROUND_CPU_SHARES : Math.max(2, Math.round((limits.cpuMillis * 1024) / 1000));
}

/** CFS bandwidth of a CPU limit: its share of each period, in microseconds. */
export interface CfsBandwidth {
  readonly periodUs: number;
  readonly quotaUs: number;
}

/**
 * The bandwidth of `cpuMillis` thousandths of a CPU: quota / period = cpuMillis / 1000
 * exactly, over the shortest period from CFS_PERIOD_US up whose quota the kernel
 * accepts (the period grows only for limits under 10 thousandths of a CPU).
 */
export function cfsBandwidth(cpuMillis: number): CfsBandwidth {
  const periodUs = Math.min(CFS_MAX_PERIOD_US, Math.max(CFS_PERIOD_US, Math.ceil((CFS_MIN_QUOTA_US * 1000) / cpuMillis)));
  return { periodUs, quotaUs: Math.max(CFS_MIN_QUOTA_US, Math.round((cpuMillis * periodUs) / 1000)) };
}

/** Where each cgroup controller is mounted, read from /proc/self/mountinfo. */
export interface CgroupMounts {
  /** cgroup v1: controller name -> mount directory. */
  readonly v1: ReadonlyMap<string, string>;
  /** cgroup v2 mount directory and the controllers it offers, if mounted. */
  readonly v2: { readonly dir: string; readonly controllers: readonly string[] } | undefined;
}

export function readCgroupMounts(mountinfo = readFileSync('/proc/self/mountinfo', 'utf8')): CgroupMounts {
  const v1 = new Map<string, string>();
  let v2: CgroupMounts['v2'];
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const dir = left.split(' ')[4];
    const [fstype, , superOptions = ''] = right.split(' ');
    if (!dir) continue;
    if (fstype === 'cgroup') {
      for (const opt of superOptions.split(',')) if (!v1.has(opt)) v1.set(opt, dir);
    } else if (fstype === 'cgroup2' && v2 === undefined) {
      let controllers: string[] = [];
      try {
        controllers = readFileSync(`${dir}/cgroup.controllers`, 'utf8').trim().split(/\s+/).filter(Boolean);
      } catch {
        /* unreadable: no controllers */
      }
      v2 = { dir, controllers };
    }
  }
  return { v1, v2 };
}

export function readNumber(file: string): number | undefined {
  try {
    const n = Number(readFileSync(file, 'utf8').trim());
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

/** Value of `key` in a flat keyed file such as memory.oom_control or memory.events. */
export function readKeyed(file: string, key: string): number | undefined {
  try {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const [k, v] = line.split(' ');
      if (k === key && v !== undefined) return Number(v);
    }
  } catch {
    /* gone */
  }
  return undefined;
}

export function readPids(procsFile: string): number[] {
  try {
    return readFileSync(procsFile, 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function killAll(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}
