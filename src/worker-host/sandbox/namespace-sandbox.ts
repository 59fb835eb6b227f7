/**
 * One running namespace sandbox. Process tree (host view):
 *
 *   Flint ─ flint-sandbox-helper (subreaper, in the cgroups, uid 65534)
 *             └─ bwrap (outer)  ─ supervisor (pid 1 in the namespaces) ─ runtime (pid 2) ...
 *
 * The supervisor (`flint-sandbox-helper supervise`) keeps the sandbox when the runtime
 * ends: it kills and reaps every other process, reports the exit on the control socket,
 * and starts the runtime again when told to (restartRuntime). Killing pid 1 collapses the
 * pid namespace; bwrap and the helper reap everything at once, so destroy takes
 * milliseconds and leaves no zombie to the host's init.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { PassThrough, type Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import type { SandboxCgroup } from './cgroups.ts';
import { MiB, sleep } from './cgroups.ts';
import type { HelperServer } from './helper-server.ts';
import type { Sandbox, SandboxExit, SandboxLimits } from './sandbox-driver.ts';
import type { BwrapStatus } from './bwrap-status.ts';

/**
 * The supervisor's control channel (Node's IPC channel to the helper, inherited by the
 * supervisor): the runtime's exit statuses in, `kill` and `start` out.
 */
export interface SupervisorControl {
  send(command: 'kill' | 'start'): void;
  /** `listener` gets the status of each runtime run that ended (n, or 128+n for signal n). */
  onExit(listener: (status: number) => void): void;
  /** Whether the channel is gone (the supervisor ended or `close` was called). */
  readonly closed: boolean;
  close(): void;
}

export interface NamespaceSandboxParts {
  readonly id: string;
  readonly child: ChildProcess;
  readonly status: BwrapStatus;
  /** The supervisor's control channel. */
  readonly control: SupervisorControl;
  readonly cgroup: SandboxCgroup;
  /** Text found in /proc/PID/cgroup of this sandbox's processes. */
  readonly cgroupMarker: string;
  readonly specializer: HelperServer;
  readonly runtimeApiAddress: string;
  readonly hostAddress: string | undefined;
  /** Address of the sandbox on the sandbox network. */
  readonly address: string | undefined;
  /** Releases what the driver holds for this sandbox (network slot, bookkeeping). */
  readonly release: () => Promise<void>;
}

/** Processes of the sandbox machinery that count against pids.max: helper, bubblewrap, the supervisor (pid 1). */
export const MACHINERY_PROCESSES = 3;
const READY_TIMEOUT_MS = 5000;
const GRACE_MS = 1000;
/**
 * The longest wait for a sandbox's processes to end. Not ref'd: a timer left running after the
 * processes ended would hold a stopping Flint for up to a second after its last sandbox.
 */
const grace = (): Promise<void> => delay(GRACE_MS, undefined, { ref: false });

export class NamespaceSandbox implements Sandbox {
  readonly id: string;
  readonly pid: number;
  readonly runtimeApiAddress: string;
  readonly taskRoot = '/var/task';
  readonly hostAddress: string | undefined;
  readonly address: string | undefined;
  readonly stdout: Readable;
  readonly stderr: Readable;
  readonly #parts: NamespaceSandboxParts;
  /** Settles when the sandbox's pid 1 has ended (the sandbox is gone). */
  readonly #ended: Promise<SandboxExit>;
  #runtime: RuntimeRun;
  /** OOM kills counted before the current runtime started. */
  #oomKillsBefore = 0;
  #restarting: Promise<void> | undefined;
  readonly #helperExit: Promise<void>;
  #helperDone = false;
  #specialized = false;
  #oomKills = 0;
  #destroying: Promise<void> | undefined;

  constructor(parts: NamespaceSandboxParts) {
    this.#parts = parts;
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
    this.#runtime = newRuntime();
    this.#ended = this.#watchExit();
    void this.#ended.then((exit) => this.#runtimeEnded(exit));
    this.#watchControl(parts.control);
  }

  get exited(): Promise<SandboxExit> {
    return this.#runtime.exited;
  }

  restartRuntime(reset: () => void): Promise<void> {
    if (this.#restarting) return Promise.reject(new Error(`sandbox ${this.id} is already restarting its runtime`));
    this.#restarting = this.#restart(reset).finally(() => (this.#restarting = undefined));
    return this.#restarting;
  }

  async #restart(reset: () => void): Promise<void> {
    const control = this.#parts.control;
    if (!this.#runtime.done) {
      this.#send('kill');
      await this.#runtime.exited;
    }
    if (this.#helperDone || this.#destroying || control.closed) throw new Error(`sandbox ${this.id} is not running`);
    reset();
    this.#oomKillsBefore = this.#parts.cgroup.oomKills();
    this.#runtime = newRuntime();
    this.#send('start');
  }

  #send(command: 'kill' | 'start'): void {
    if (!this.#parts.control.closed) this.#parts.control.send(command);
  }

  /** Follows the supervisor's exit reports (the sandbox's own end is reported through #watchExit). */
  #watchControl(control: SupervisorControl): void {
    control.onExit((status) => this.#runtimeEnded({ ...decodeStatus(status), oomKilled: this.#oomKilled() }));
  }

  #runtimeEnded(exit: SandboxExit): void {
    if (this.#runtime.done) return;
    this.#runtime.done = true;
    this.#runtime.settle(exit);
  }

  /** Host pid of the sandbox's pid 1 (the supervisor). */
  get initPid(): number | undefined {
    return this.#parts.status.childPid;
  }

  async specialize(code: { readonly codeDir: string; readonly layersDir?: string | undefined }, limits: SandboxLimits): Promise<void> {
    if (this.#specialized) throw new Error(`sandbox ${this.id} is already specialized`);
    this.#specialized = true;
    const init = await this.#untilRunning();
    // the helper mounts the code while the limits are written here; the runtime hears of neither before both are done
    const mounted = this.#parts.specializer.specialize({ pid: init, taskDir: code.codeDir, optDir: code.layersDir, tmpSizeBytes: limits.tmpSizeMb * MiB });
    try {
      this.#parts.cgroup.apply(withMachinery(limits));
    } catch (err) {
      await mounted.catch(() => undefined);
      throw err;
    }
    await mounted;
  }

  setLimits(limits: SandboxLimits): void {
    this.#parts.cgroup.apply(withMachinery(limits));
  }

  /**
   * Resolves once bubblewrap has set the sandbox up and the supervisor started the runtime (pid 2);
   * rejects with bubblewrap's error output if it failed.
   */
  async started(): Promise<void> {
    try {
      await this.#untilRunning();
    } catch (err) {
      const chunks: Buffer[] = [];
      this.stderr.on('data', (b: Buffer) => chunks.push(b));
      await Promise.race([new Promise((r) => this.stderr.once('end', r)), grace()]);
      const output = Buffer.concat(chunks).toString().trim();
      throw new Error(`sandbox ${this.id} failed to start: ${output || (err as Error).message}`);
    }
  }

  memoryUsage(): { readonly peakBytes: number; readonly currentBytes: number } | undefined {
    return this.#parts.cgroup.memoryUsage();
  }

  /** CPU time used by the whole sandbox, in nanoseconds. */
  cpuUsageNs(): number | undefined {
    return this.#parts.cgroup.cpuUsageNs();
  }

  /** Host pids of every process of the sandbox, the helper included. */
  pids(): number[] {
    return this.#parts.cgroup.pids();
  }

  destroy(): Promise<void> {
    this.#destroying ??= this.#teardown();
    return this.#destroying;
  }

  async #teardown(): Promise<void> {
    if (!this.#helperDone) {
      const init = this.initPid;
      const targets = init !== undefined ? [init] : this.#parts.cgroup.pids().filter((pid) => pid !== this.pid);
      for (const pid of targets) this.#killIfOurs(pid);
    }
    // the network slot goes while the processes are reaped
    const released = this.#parts.release();
    try {
      await Promise.race([this.#helperExit, grace()]);
      this.#oomKills = this.#parts.cgroup.oomKills();
      await this.#parts.cgroup.remove();
      await Promise.race([this.#helperExit, grace()]);
    } finally {
      this.#parts.status.close();
      this.#parts.control.close();
      await released;
    }
  }

  /** SIGKILL to a pid only while it is still a process of this sandbox (no pid reuse accident). */
  #killIfOurs(pid: number): void {
    try {
      if (readFileSync(`/proc/${pid}/cgroup`, 'utf8').includes(this.#parts.cgroupMarker)) process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }

  /**
   * The sandbox's pid 1 once it has started the runtime (its filesystem is then complete):
   * the runtime is its child, or already ended (a runtime that exits at once, such as a
   * bootstrap that fails, may be gone before the first look; the supervisor stays and
   * reported the exit).
   */
  async #untilRunning(): Promise<number> {
    const init = await this.#parts.status.childPidReady;
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (let attempt = 0; ; attempt++) {
      if (this.#helperDone || this.#destroying) throw new Error(`sandbox ${this.id} is not running`);
      let children: string;
      try {
        children = readFileSync(`/proc/${init}/task/${init}/children`, 'utf8');
      } catch {
        throw new Error(`sandbox ${this.id} is not running`);
      }
      if (children.trim() !== '' || this.#runtime.done) return init;
      if (Date.now() > deadline) throw new Error(`sandbox ${this.id} did not start its runtime`);
      await sleep(attempt < 50 ? 0 : 5);
    }
  }

  async #watchExit(): Promise<SandboxExit> {
    const status = await this.#parts.status.exitCode;
    if (status !== undefined) return { ...decodeStatus(status), oomKilled: this.#oomKilled() };
    await this.#helperExit; // pid 1 was killed, or bubblewrap failed: the helper passes bubblewrap's status on
    const { exitCode, signalCode } = this.#parts.child;
    const decoded = exitCode !== null ? decodeStatus(exitCode) : { code: null, signal: signalCode };
    return { ...decoded, oomKilled: this.#oomKilled() };
  }

  /** Whether the kernel's OOM killer struck since the current runtime started. */
  #oomKilled(): boolean {
    return Math.max(this.#oomKills, this.#parts.cgroup.oomKills()) > this.#oomKillsBefore;
  }
}

/** One run of the runtime command under the supervisor. */
interface RuntimeRun {
  readonly exited: Promise<SandboxExit>;
  readonly settle: (exit: SandboxExit) => void;
  done: boolean;
}

function newRuntime(): RuntimeRun {
  let settle!: (exit: SandboxExit) => void;
  const exited = new Promise<SandboxExit>((resolve) => (settle = resolve));
  return { exited, settle, done: false };
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
