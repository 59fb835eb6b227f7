/**
 * What this machine can enforce, checked once at start so that Flint says plainly
 * which isolation holds (and refuses the namespace driver rather than pretend).
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { CgroupV1Hierarchy, V1_CONTROLLERS } from './cgroup-v1.ts';
import { CgroupV2Hierarchy, V2_CONTROLLERS } from './cgroup-v2.ts';
import { readCgroupMounts, type CgroupHierarchy, type CgroupMounts } from './cgroups.ts';
import { missingTools, nativeTools, type NativeTools } from './native-tools.ts';

export interface SandboxSupport {
  readonly root: boolean;
  readonly bwrap: boolean;
  /** Unprivileged user namespaces (bubblewrap runs as uid 65534). */
  readonly userNamespaces: boolean;
  /** Usable cgroup version with memory, cpu and pids controllers, if any. */
  readonly cgroupVersion: 1 | 2 | undefined;
  /** Kernel seccomp filters and the compiled Flint filter. */
  readonly seccomp: boolean;
  /** iproute2 and iptables (with iptables-restore) for the sandbox network. */
  readonly network: boolean;
  /** Why the namespace driver cannot run here; empty when it can. */
  readonly missing: readonly string[];
}

export function detectSandboxSupport(tools: NativeTools = nativeTools(), mounts: CgroupMounts = readCgroupMounts()): SandboxSupport {
  const missing: string[] = [];
  const root = process.getuid?.() === 0;
  if (!root) missing.push('not running as root (needed for cgroups, network namespaces and mounts)');
  const toolProblems = missingTools(tools);
  missing.push(...toolProblems);
  const bwrap = !toolProblems.some((m) => m.startsWith('bubblewrap'));

  const userNamespaces = readSysctl('/proc/sys/user/max_user_namespaces') !== '0'
    && readSysctl('/proc/sys/kernel/unprivileged_userns_clone') !== '0'
    && readSysctl('/proc/sys/kernel/apparmor_restrict_unprivileged_userns') !== '1';
  if (!userNamespaces) missing.push('unprivileged user namespaces are disabled (user.max_user_namespaces / kernel.unprivileged_userns_clone / apparmor_restrict_unprivileged_userns)');

  const cgroupVersion = cgroupVersionOf(mounts);
  if (cgroupVersion === undefined) missing.push(`no cgroup hierarchy with ${V1_CONTROLLERS.join(', ')} (v1) or ${V2_CONTROLLERS.join(', ')} (v2)`);

  const kernelSeccomp = /^Seccomp:/m.test(readSysctl('/proc/self/status') ?? '');
  if (!kernelSeccomp) missing.push('the kernel has no seccomp support');
  const seccomp = kernelSeccomp && !toolProblems.some((m) => m.startsWith('seccomp'));

  const network = ['/usr/sbin/ip', '/usr/sbin/iptables', '/usr/sbin/iptables-restore'].every(executable)
    || ['/sbin/ip', '/sbin/iptables', '/sbin/iptables-restore'].every(executable);
  if (!network) missing.push('ip (iproute2) or iptables not installed (run scripts/setup-sandbox.sh)');
  return { root, bwrap, userNamespaces, cgroupVersion, seccomp, network, missing };
}

export function cgroupVersionOf(mounts: CgroupMounts): 1 | 2 | undefined {
  if (V1_CONTROLLERS.every((c) => mounts.v1.has(c))) return 1;
  if (mounts.v2 && V2_CONTROLLERS.every((c) => mounts.v2!.controllers.includes(c))) return 2;
  return undefined;
}

/** The hierarchy the namespace driver uses: v1 when its controllers are mounted there, else v2. */
export function openCgroupHierarchy(parentName: string, mounts: CgroupMounts = readCgroupMounts()): CgroupHierarchy {
  const version = cgroupVersionOf(mounts);
  if (version === 1) return new CgroupV1Hierarchy(mounts, parentName);
  if (version === 2) return new CgroupV2Hierarchy(mounts.v2!.dir, parentName);
  throw new Error('no usable cgroup hierarchy');
}

function readSysctl(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
