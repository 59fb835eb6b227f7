/**
 * The isolation boundary, behind one interface so that the rest of Flint does not
 * know which driver is in use (namespace sandbox by default; a microVM tier later).
 *
 * Lifecycle of one sandbox: `driver.start(spec)` starts a function-agnostic cell
 * (pre-started pools call it ahead of demand) -> `sandbox.specialize(...)` gives it
 * one function version's code and limits (once; never undone) -> the runtime inside
 * serves invocations through the Runtime API (after a timeout or a runtime exit,
 * `sandbox.restartRuntime()` starts the runtime again in the same environment) ->
 * `sandbox.destroy()` ends every process and removes every resource it held.
 */
import type { Readable } from 'node:stream';
import type { HostAccess } from './host-access.ts';

export interface SandboxLimits {
  /** Memory cap of the whole sandbox (cgroup); an overrun kills the sandbox, never the host. */
  readonly memoryMb: number;
  /** CPU share in thousandths of a CPU (1769 MB of memory = 1000, capped by the machine). */
  readonly cpuMillis: number;
  /** Maximum number of processes and threads inside the sandbox. */
  readonly pidsMax: number;
  /** Size limit of the private writable /tmp. */
  readonly tmpSizeMb: number;
  /**
   * A cell waiting in the pool: the lowest CPU weight (cgroup v1 `cpu.shares` 2, v2 `cpu.weight` 1),
   * so that its warm-up runs on CPU nothing else wants. Absent: a weight proportional to `cpuMillis`.
   */
  readonly background?: boolean;
}

export interface CellSpec {
  /** Unique id; names the sandbox's resources (cgroups, directories, network). */
  readonly id: string;
  /** Host directories mounted read-only into the sandbox: target path in the sandbox -> host path. */
  readonly runtimeMounts: Readonly<Record<string, string>>;
  /** Command run as the sandbox's main process (paths as seen inside the sandbox). */
  readonly command: readonly string[];
  /**
   * Complete environment of that process (the driver adds nothing of the host's),
   * except AWS_LAMBDA_RUNTIME_API, which the driver sets (see `hooks.bindRuntimeApi`).
   */
  readonly env: Readonly<Record<string, string>>;
  /** Limits applied from the start; `specialize` may change them once. */
  readonly limits: SandboxLimits;
}

/**
 * Where the host serves one sandbox's Runtime API so that only that sandbox reaches it: one of
 * - `listenHost`: a driver without network isolation; the host listens on an ephemeral port of
 *   that address, a listener of the sandbox's own (its port is its only secret);
 * - `listener`: a driver that gives each sandbox its own network namespace; a TCP socket created
 *   inside it, listening on the sandbox's own loopback at `address` (Lambda's `127.0.0.1:9001`),
 *   handed to the host (SCM_RIGHTS): every connection accepted on it comes from that sandbox,
 *   and nothing outside the sandbox reaches it. A raw libuv TCP handle as Node's child-process
 *   channel delivers it (`net.Native`), for `net.Server#listen(handle)`; nothing is accepted
 *   from it before that (connections wait in the kernel's backlog).
 */
export type RuntimeApiBinding =
  | { readonly listenHost: string }
  | { readonly listener: RuntimeApiListenerHandle; readonly address: string };

/** A listening socket's libuv handle as received over Node's IPC channel (opaque; `close()` releases it). */
export interface RuntimeApiListenerHandle {
  close(): void;
}

export interface CellHooks {
  /**
   * Called once per sandbox; returns the `host:port` for AWS_LAMBDA_RUNTIME_API. With `listenHost`,
   * before the sandbox's process starts; with `listener`, once the sandbox handed its listener over
   * (the runtime may have started already: its connections wait until the host listens).
   * The hook owns the listener from the call on, also when it rejects, and closes it no later than
   * the sandbox's `destroy` (the network namespace serves later sandboxes, which listen on the same
   * address: a listener left open makes their start fail with EADDRINUSE, never reach the wrong one).
   */
  bindRuntimeApi(binding: RuntimeApiBinding): Promise<string>;
}

export interface SandboxExit {
  readonly code: number | null;
  readonly signal: string | null;
  /** True when the kernel's OOM killer ended a process of this sandbox. */
  readonly oomKilled: boolean;
}

export interface Sandbox {
  readonly id: string;
  /** PID (in the host's namespace) of the sandbox's outermost process. */
  readonly pid: number;
  /** `host:port` the runtime inside uses as AWS_LAMBDA_RUNTIME_API. */
  readonly runtimeApiAddress: string;
  /** Where the runtime inside sees the function code: `/var/task`, except for drivers without a mount namespace. */
  readonly taskRoot: string;
  /** Address at which the sandbox reaches the host's Flint API (`host.flint.internal`), if it has network. */
  readonly hostAddress: string | undefined;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /**
   * Settles when the runtime (the spec's command) has ended, or the whole sandbox has.
   * After `restartRuntime`, a new promise for the new runtime.
   */
  readonly exited: Promise<SandboxExit>;
  /**
   * Restarts the runtime inside the same sandbox, as Lambda does after a timeout or a
   * runtime exit: kills every process of the old runtime (if it still runs) but keeps
   * the environment (/tmp, cgroups, network, mounts), calls `reset` once none is left,
   * then starts the spec's command again with the spec's environment. Rejects if the
   * sandbox itself has ended. Optional: without it a failed runtime costs the sandbox.
   */
  restartRuntime?(reset: () => void): Promise<void>;
  /**
   * Makes a version's unpacked code visible read-only at /var/task (and layers at /opt)
   * and applies its limits. Called at most once. Pre: the sandbox is alive.
   */
  specialize(code: { readonly codeDir: string; readonly layersDir?: string | undefined }, limits: SandboxLimits): Promise<void>;
  /**
   * Changes memory, CPU and process-count limits of a running sandbox (writes only,
   * ~0.2 ms), for example a full CPU during the init phase and the function's share
   * afterwards, as Lambda does. `tmpSizeMb` is ignored: /tmp is sized by `specialize`.
   * Optional: drivers that enforce no limits may leave it out.
   */
  setLimits?(limits: SandboxLimits): void;
  /** Peak and current memory of the sandbox as the kernel counts it (cgroup), if known. */
  memoryUsage(): { readonly peakBytes: number; readonly currentBytes: number } | undefined;
  /** Ends every process and removes every resource of the sandbox. Idempotent. */
  destroy(): Promise<void>;
}

/** What the driver really enforces on this machine. Never claims a limit that does not hold. */
export interface IsolationReport {
  readonly driver: string;
  readonly namespaces: boolean;
  readonly cgroups: boolean;
  readonly seccomp: boolean;
  readonly network: 'bridge' | 'isolated' | 'host';
  /** Host services a sandbox reaches through `host.flint.internal` (see host-access.ts); absent without a network namespace. */
  readonly hostAccess?: HostAccess;
  /** Human-readable reasons for every guarantee that does not hold. */
  readonly degraded: readonly string[];
}

export interface SandboxDriver {
  readonly isolation: IsolationReport;
  /** Address at which every sandbox of this driver reaches the host (`host.flint.internal`); undefined without network or with host access `none`. */
  readonly hostAddress: string | undefined;
  /** Starts a function-agnostic sandbox. Rejects (and leaves nothing behind) if it cannot start. */
  start(spec: CellSpec, hooks: CellHooks): Promise<Sandbox>;
  /** Removes processes, cgroups, mounts, network devices and directories left by an earlier run. */
  cleanupStale(): Promise<void>;
  /** Destroys every sandbox this driver started and releases shared resources (bridge, etc.). */
  close(): Promise<void>;
}
