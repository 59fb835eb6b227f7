/**
 * bubblewrap's arguments for one sandbox. Pure, given the host's root layout.
 *
 * The sandbox's root is an empty tmpfs made read-only at the end, holding: the
 * host's /usr (and the /bin, /lib... links or directories) read-only, the
 * driver's /etc (synthesized files, copies of a few host files and a few host
 * directories bound over it, read-only; see sandbox-etc.ts), a private /proc and /dev, a
 * private /tmp tmpfs of the given size, empty /var/task and /opt (filled by
 * `specialize`), and the spec's runtime mounts read-only. Nothing else of the
 * host (no /root, /home, /work, data directory, host /proc or /sys) exists inside.
 *
 * The sandbox's pid 1 is Flint's supervisor (`flint-sandbox-helper supervise`,
 * bound read-only at /var/rapid/init), which starts the runtime and restarts it
 * in the same environment; see supervisorCommand.
 *
 * /tmp is a tmpfs: its pages are charged to the sandbox's memory cgroup, so what a
 * function keeps in /tmp counts towards its memory limit (Lambda's /tmp is disk).
 */
import { posix } from 'node:path';
import { SANDBOX_GID, SANDBOX_UID } from './sandbox-etc.ts';

/** How one top-level host directory appears inside: bound read-only or as the same symlink. */
export type RootEntry = { readonly path: string; readonly symlink: string } | { readonly path: string; readonly bind: true };

export interface BwrapArgsInput {
  readonly root: readonly RootEntry[];
  /** The sandbox's /etc, as written by writeEtc (sandbox-etc.ts). */
  readonly etcDir: string;
  /** Host directories under /etc bound read-only at their own path (their mount points are in etcDir; writeEtc's answer). */
  readonly etcBinds: readonly string[];
  readonly hostname: string;
  readonly tmpSizeBytes: number;
  readonly runtimeMounts: Readonly<Record<string, string>>;
  /** Descriptor numbers in bubblewrap's process. */
  readonly seccompFd: number;
  readonly statusFd: number;
  /** Host path of flint-sandbox-helper, bound read-only at SUPERVISOR_PATH. */
  readonly supervisor: string;
}

/** Where the sandbox's pid 1, the supervisor, is inside (Lambda's init lives in /var/rapid too). */
export const SUPERVISOR_PATH = '/var/rapid/init';

/**
 * The command bubblewrap runs as the sandbox's pid 1: the supervisor, talking to the
 * host on `controlFd` (Node's IPC channel), running `command` (the runtime). With
 * `runtimeApi` (`host:port`), it first listens there and hands the socket to the host.
 */
export function supervisorCommand(controlFd: number, command: readonly string[], runtimeApi?: string): string[] {
  return [SUPERVISOR_PATH, 'supervise', String(controlFd), ...(runtimeApi !== undefined ? ['--runtime-api', runtimeApi] : []), '--', ...command];
}

const RESERVED_TARGETS = ['/', '/proc', '/dev', '/tmp', '/var/task', '/opt', '/etc', '/usr', '/var/rapid'];

/**
 * Options only; the command goes on bubblewrap's own command line after `--`
 * (bubblewrap does not take the command from an `--args` descriptor).
 */
export function bwrapArgs(input: BwrapArgsInput): string[] {
  const args = [
    '--unshare-user', '--uid', String(SANDBOX_UID), '--gid', String(SANDBOX_GID), '--disable-userns',
    '--unshare-pid', '--as-pid-1', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try',
    '--hostname', input.hostname,
    '--die-with-parent', '--new-session',
    '--json-status-fd', String(input.statusFd),
    '--seccomp', String(input.seccompFd),
  ];
  for (const entry of input.root) {
    if ('symlink' in entry) args.push('--symlink', entry.symlink, entry.path);
    else args.push('--ro-bind', entry.path, entry.path);
  }
  args.push('--ro-bind', input.etcDir, '/etc');
  for (const dir of input.etcBinds) {
    if (!dir.startsWith('/etc/') || posix.normalize(dir) !== dir || dir.endsWith('/')) throw new Error(`an /etc bind must be a clean path under /etc: ${dir}`);
    args.push('--ro-bind', dir, dir);
  }
  args.push('--proc', '/proc', '--dev', '/dev');
  args.push('--size', String(input.tmpSizeBytes), '--perms', '1777', '--tmpfs', '/tmp');
  args.push('--dir', '/var/task', '--dir', '/opt');
  args.push('--ro-bind', input.supervisor, SUPERVISOR_PATH);
  for (const [target, source] of runtimeMountsInOrder(input.runtimeMounts)) args.push('--ro-bind', source, target);
  args.push('--remount-ro', '/', '--chdir', '/var/task');
  return args;
}

/** Runtime mounts, parents before children. Throws on a target that is not a clean absolute path or is reserved. */
export function runtimeMountsInOrder(mounts: Readonly<Record<string, string>>): [string, string][] {
  const entries = Object.entries(mounts);
  for (const [target, source] of entries) {
    if (!posix.isAbsolute(target) || posix.normalize(target) !== target || target.endsWith('/')) throw new Error(`runtime mount target must be a clean absolute path: ${target}`);
    if (RESERVED_TARGETS.includes(target) || target.startsWith('/proc/') || target.startsWith('/dev/')) throw new Error(`runtime mount target is reserved: ${target}`);
    if (!posix.isAbsolute(source)) throw new Error(`runtime mount source must be absolute: ${source}`);
  }
  // code-unit order: localeCompare would load ICU's collator on first use (~8 ms on a cold start)
  return entries.sort(([a], [b]) => a.split('/').length - b.split('/').length || (a < b ? -1 : a > b ? 1 : 0));
}

/** NUL-separated form for `bwrap --args FD` (keeps host paths out of the sandbox's view of its pid 1 command line). */
export function encodeArgs(args: readonly string[]): Buffer {
  for (const a of args) if (a.includes('\0')) throw new Error('argument contains NUL');
  return Buffer.from(args.map((a) => `${a}\0`).join(''));
}

/**
 * A command for `flint-sandbox-helper exec --command-fd`: the environment's `KEY=VALUE` records,
 * an empty record, then ARGV's (ARGV[0] an absolute path), each NUL-terminated.
 */
export function encodeCommand(env: Readonly<Record<string, string>>, argv: readonly string[]): Buffer {
  if (!argv[0]?.startsWith('/')) throw new Error(`the command must start with an absolute path: ${argv[0]}`);
  const vars = Object.entries(env).map(([key, value]) => {
    if (key === '' || key.includes('=')) throw new Error(`bad environment variable name ${JSON.stringify(key)}`);
    return `${key}=${value}`;
  });
  return Buffer.concat([encodeArgs(vars), Buffer.from([0]), encodeArgs(argv)]);
}
