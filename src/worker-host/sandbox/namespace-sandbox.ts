/**
 * One running namespace sandbox. Process tree (host view):
 *
 *   Flint ─ flint-sandbox-helper (subreaper, in the cgroups, uid 65534)
 *             └─ bwrap (outer)  ─ bwrap pid 1 (in the namespaces) ─ runtime (pid 2) ...
 *
 * Killing pid 1 collapses the pid namespace; bwrap and the helper reap everything
 * at once, so destroy takes milliseconds and leaves no zombie to the host's init.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { PassThrough, type Readable } from 'node:stream';
import type { SandboxCgroup } from './cgroups.ts';
import { MiB, sleep } from './cgroups.ts';
import type { SpecializeServer } from './specialize-server.ts';
import type { Sandbox, SandboxExit, SandboxLimits } from './sandbox-driver.ts';
import type { BwrapStatus } from './bwrap-status.ts';

export interface NamespaceSandboxParts {
  readonly id: string;
  readonly child: ChildProcess;
  readonly status: BwrapStatus;
  readonly cgroup: SandboxCgroup;
  /** Text found in /proc/PID/cgroup of this sandbox's processes. */
  readonly cgroupMarker: string;
  readonly specializer: SpecializeServer;
  readonly runtimeApiAddress: string;
  readonly hostAddress: string | undefined;
  /** Address of the sandbox on the sandbox network. */
  readonly address: string | undefined;
  /** Releases what the driver holds for this sandbox (network slot, bookkeeping). */
  readonly release: () => Promise<void>;
}

/** Processes of the sandbox machinery that count against pids.max: helper, bubblewrap, bubblewrap's pid 1. */
export const MACHINERY_PROCESSES = 3;
const READY_TIMEOUT_MS = 5000;
const GRACE_MS = 1000;

export class NamespaceSandbox implements Sandbox {
  readonly id: string;
  readonly pid: number;
  readonly runtimeApiAddress: string;
  readonly taskRoot = '/var/task';
  readonly hostAddress: string | undefined;
  readonly address: string | undefined;
  readonly stdout: Readable;
  readonly stderr: Readable;
  readonly exited: Promise<SandboxExit>;
  readonly #p: NamespaceSandboxParts;
  readonly #helperExit: Promise<void>;
  #helperDone = false;
  #specialized = false;
  #oomKills = 0;
  #destroying: Promise<void> | undefined;

  constructor(parts: NamespaceSandboxParts) {
    this.#p = parts;
    this.id = parts.id;
    this.pid = parts.child.pid!;
    this.runtimeApiAddress = parts.runtimeApiAddress;
    this.hostAddress = parts.hostAddress;
    this.address = parts.address;
    // our own buffers: Node drains a child's unread pipes when it exits, which would lose early output
    this.stdout = parts.child.stdout!.pipe(new PassThrough());
    this.stderr = parts.child.stderr!.pipe(new PassThrough());
    this.#helperExit = new Promise((resolve) => parts.child.once('exit', () => resolve()));
    void this.#helperExit.then(() => (this.#helperDone = true));
    this.exited = this.#watchExit();
  }

  /** Host pid of the sandbox's pid 1 (bubblewrap's init). */
  get initPid(): number | undefined {
    return this.#p.status.childPid;
  }

  async specialize(code: { readonly codeDir: string; readonly layersDir?: string | undefined }, limits: SandboxLimits): Promise<void> {
    if (this.#specialized) throw new Error(`sandbox ${this.id} is already specialized`);
    this.#specialized = true;
    const init = await this.#untilRunning();
    this.#p.cgroup.apply(withMachinery(limits));
    await this.#p.specializer.specialize({ pid: init, taskDir: code.codeDir, optDir: code.layersDir, tmpSizeBytes: limits.tmpSizeMb * MiB });
  }

  setLimits(limits: SandboxLimits): void {
    this.#p.cgroup.apply(withMachinery(limits));
  }

  /**
   * Resolves once bubblewrap has set the sandbox up and started the runtime (pid 2);
   * rejects with bubblewrap's error output if it failed.
   */
  async started(): Promise<void> {
    try {
      await this.#untilRunning();
    } catch (err) {
      const chunks: Buffer[] = [];
      this.stderr.on('data', (b: Buffer) => chunks.push(b));
      await Promise.race([new Promise((r) => this.stderr.once('end', r)), sleep(GRACE_MS)]);
      const output = Buffer.concat(chunks).toString().trim();
      throw new Error(`sandbox ${this.id} failed to start: ${output || (err as Error).message}`);
    }
  }

  memoryUsage(): { readonly peakBytes: number; readonly currentBytes: number } | undefined {
    return this.#p.cgroup.memoryUsage();
  }

  /** CPU time used by the whole sandbox, in nanoseconds. */
  cpuUsageNs(): number | undefined {
    return this.#p.cgroup.cpuUsageNs();
  }

  /** Host pids of every process of the sandbox, the helper included. */
  pids(): number[] {
    return this.#p.cgroup.pids();
  }

  destroy(): Promise<void> {
    this.#destroying ??= this.#teardown();
    return this.#destroying;
  }

  async #teardown(): Promise<void> {
    if (!this.#helperDone) {
      const init = this.initPid;
      const targets = init !== undefined ? [init] : this.#p.cgroup.pids().filter((pid) => pid !== this.pid);
      for (const pid of targets) this.#killIfOurs(pid);
    }
    // the Runtime API rule and the network slot go while the processes are reaped
    const released = this.#p.release();
    try {
      await Promise.race([this.#helperExit, sleep(GRACE_MS)]);
      this.#oomKills = this.#p.cgroup.oomKills();
      await this.#p.cgroup.remove();
      await Promise.race([this.#helperExit, sleep(GRACE_MS)]);
    } finally {
      this.#p.status.close();
      await released;
    }
  }

  /** SIGKILL to a pid only while it is still a process of this sandbox (no pid reuse accident). */
  #killIfOurs(pid: number): void {
    try {
      if (readFileSync(`/proc/${pid}/cgroup`, 'utf8').includes(this.#p.cgroupMarker)) process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }

  /** The sandbox's pid 1 once it has started the runtime (its filesystem is then complete). */
  async #untilRunning(): Promise<number> {
    const init = await this.#p.status.childPidReady;
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (let attempt = 0; ; attempt++) {
      if (this.#helperDone || this.#destroying) throw new Error(`sandbox ${this.id} is not running`);
      let children: string;
      try {
        children = readFileSync(`/proc/${init}/task/${init}/children`, 'utf8');
      } catch {
        throw new Error(`sandbox ${this.id} is not running`);
      }
      if (children.trim() !== '') return init;
      if (Date.now() > deadline) throw new Error(`sandbox ${this.id} did not start its runtime`);
      await sleep(attempt < 50 ? 0 : 5);
    }
  }

  async #watchExit(): Promise<SandboxExit> {
    const status = await this.#p.status.exitCode;
    if (status !== undefined) return { ...decodeStatus(status), oomKilled: this.#oomKilled() };
    await this.#helperExit; // pid 1 was killed, or bubblewrap failed: the helper passes bubblewrap's status on
    const { exitCode, signalCode } = this.#p.child;
    const decoded = exitCode !== null ? decodeStatus(exitCode) : { code: null, signal: signalCode };
    return { ...decoded, oomKilled: this.#oomKilled() };
  }

  #oomKilled(): boolean {
    return Math.max(this.#oomKills, this.#p.cgroup.oomKills()) > 0;
  }
}

export function withMachinery(limits: SandboxLimits): SandboxLimits {
  return { ...limits, pidsMax: limits.pidsMax + MACHINERY_PROCESSES };
}

/** bubblewrap reports the runtime's end as a shell status: n, or 128+n for signal n. */
export function decodeStatus(status: number): { code: number | null; signal: string | null } {
  if (status > 128 && status < 128 + 65) {
    const name = Object.entries(constants.signals).find(([, n]) => n === status - 128)?.[0];
    if (name !== undefined) return { code: null, signal: name };
  }
  return { code: status, signal: null };
}
