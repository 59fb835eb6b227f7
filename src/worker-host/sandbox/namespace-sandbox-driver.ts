/**
 * The namespace sandbox driver (default on Linux): bubblewrap with its own user
 * (uid/gid 65534, no capabilities, no_new_privs), pid, mount, IPC, UTS, cgroup and
 * network namespaces, a read-only root, a seccomp filter, and memory / CPU /
 * process-count cgroups joined before the first instruction of the sandbox runs.
 * See bwrap-args.ts for the filesystem view, network-commands.ts for the network
 * policy, namespace-sandbox.ts for the process tree and teardown.
 *
 * Starts are prepared ahead (PreparedLaunch): a network slot, the sandbox's cgroups and
 * the exec helper already in both, waiting for bubblewrap's command line. Attaching a
 * process to a cgroup waits for an RCU grace period in the kernel (the cgroup core's
 * threadgroup lock: ~9 ms of a ~46 ms sandbox start here, bench/sandbox-start.ts), which a
 * start from a prepared launch does not wait for.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, openSync, rmSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../../shared/index.ts';
import { bwrapArgs, encodeArgs, encodeCommand, runtimeMountsInOrder, supervisorCommand } from './bwrap-args.ts';
import { BwrapStatus } from './bwrap-status.ts';
import { MiB, type CgroupHierarchy, type SandboxCgroup } from './cgroups.ts';
import { claimInstance, type InstanceClaim } from './instance-claim.ts';
import { NamespaceSandbox, withMachinery } from './namespace-sandbox.ts';
import { nativeTools, type NativeTools } from './native-tools.ts';
import type { HostAccess } from './host-access.ts';
import { networkPlan, type NetworkPlan } from './network-plan.ts';
import { removeSlots } from './network-cleanup.ts';
import { reapDeadInstances, removeLeftovers } from './instance-cleanup.ts';
import { occupiedBlocks } from './instance-names-on-machine.ts';
import { SANDBOX_CLAIMS_LOCK, withMachineLock } from './machine-lock.ts';
import { PreparedPool } from './prepared-pool.ts';
import { SandboxNetwork, type PreparedSlot } from './sandbox-network.ts';
import { HelperServer } from './helper-server.ts';
import { SupervisorChannel } from './supervisor-channel.ts';
import { hostNameservers, writeEtc, SANDBOX_GID, SANDBOX_UID } from './sandbox-etc.ts';
import { detectSandboxSupport, openCgroupHierarchy } from './detect-sandbox-support.ts';
import { readHostRoot, type HostRoot } from './host-root.ts';
import type { CellHooks, CellSpec, IsolationReport, Sandbox, SandboxDriver } from './sandbox-driver.ts';

export interface NamespaceSandboxDriverOptions {
  /**
   * Names this instance's cgroups (`flint-<name>`), network devices, iptables chains
   * and state; [a-z0-9]{1,8}. Must be unique among live instances on the machine and
   * the same after a restart, so that cleanup finds what a crashed run left
   * (`sandboxInstanceName(dataDir)` gives one).
   */
  readonly instanceName: string;
  readonly network: 'bridge' | 'isolated';
  /**
   * Host services sandboxes reach through `host.flint.internal` (see host-access.ts);
   * default: `gateway` in bridge mode, `none` in isolated mode.
   */
  readonly hostAccess?: HostAccess | undefined;
  /** Address block 1..30 (not 12 or 21) of 169.254.0.0/16; default: claimed automatically. */
  readonly networkIndex?: number | undefined;
  /** Default `/run/flint-sandbox/<instanceName>`; must be traversable by uid 65534. */
  readonly stateDir?: string | undefined;
  /** Output of scripts/setup-sandbox.sh; default `<repo>/.build`. */
  readonly buildDir?: string | undefined;
  /**
   * Network namespaces kept prepared ahead of demand, and as many sandbox starts (a slot, the
   * cgroups and the helper waiting in them) (default 2).
   */
  readonly preparedNetworkSlots?: number | undefined;
  readonly logger?: Logger | undefined;
}

const ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
/** Descriptor of the supervisor's control channel, in the helper, bubblewrap and the supervisor. */
const CONTROL_FD = 6;
/** The helper's end of the socket its command comes on (`exec --command-fd`); closed before bubblewrap runs. */
const COMMAND_FD = 7;
/** How long after a start takes a prepared launch its replacement is spawned (a fork of Flint: not during that start). */
const LAUNCH_REFILL_DELAY_MS = 50;

/**
 * A sandbox start made ahead up to the point where it needs the sandbox: its network slot, its
 * cgroups (named `key`, the sandbox's for its life) and `flint-sandbox-helper exec --command-fd`
 * in both, as the sandbox's user, waiting for the environment and bubblewrap's command line.
 * stdio: 1-2 the sandbox's output, 3 the seccomp filter, 4 bubblewrap's arguments, 5 its status,
 * 6 the supervisor's control channel, 7 the command.
 */
interface PreparedLaunch {
  readonly key: string;
  readonly slot: PreparedSlot;
  readonly cgroup: SandboxCgroup;
  readonly child: ChildProcess;
  /** Settles once the helper is in place and waits for its command; rejects if it ended first. */
  readonly joined: Promise<void>;
}
/**
 * Where a sandbox's runtime reaches its Runtime API: its own loopback, as in Lambda. The
 * supervisor listens there inside the sandbox's network namespace and hands the socket to
 * Flint, so the sandbox is known by the listener a connection came in on (no address
 * lookup, no iptables rule), and no other sandbox or host process can connect to it.
 */
export const SANDBOX_RUNTIME_API = '127.0.0.1:9001';

export class NamespaceSandboxDriver implements SandboxDriver {
  isolation: IsolationReport;
  /** The gateway (`host.flint.internal`) where sandboxes reach host services; undefined with host access `none` (nothing of the host). */
  readonly hostAddress: string | undefined;
  /** The host's end of this instance's sandbox network (whether or not sandboxes may reach it: see hostAddress). */
  readonly gateway: string;
  readonly #options: NamespaceSandboxDriverOptions;
  readonly #tools: NativeTools;
  readonly #plan: NetworkPlan;
  readonly #claim: InstanceClaim;
  readonly #cgroups: CgroupHierarchy;
  readonly #network: SandboxNetwork;
  readonly #requestedHostAccess: HostAccess;
  readonly #root: HostRoot;
  /** Host directories bound over the sandbox /etc (writeEtc, at set-up). */
  #etcBinds: readonly string[] = [];
  readonly #stateDir: string;
  readonly #cgroupVersion: number;
  readonly #live = new Map<string, NamespaceSandbox>();
  /** Ids between start() and the sandbox being tracked. */
  readonly #starting = new Set<string>();
  readonly #launches: PreparedPool<PreparedLaunch>;
  /** Names of the cgroups of prepared launches and of sandboxes not yet removed: cleanupStale spares them. */
  readonly #ownCgroups = new Set<string>();
  readonly #specializer: HelperServer;
  #closed = false;

  /** Checks the machine, removes what dead instances (this one's earlier run among them) left, and sets up the instance. */
  static async open(options: NamespaceSandboxDriverOptions): Promise<NamespaceSandboxDriver> {
    const tools = nativeTools(options.buildDir);
    const support = detectSandboxSupport(tools);
    if (support.missing.length > 0) throw new Error(`namespace sandboxes unavailable: ${support.missing.join('; ')}`);
    const stateDir = options.stateDir ?? `/run/flint-sandbox/${options.instanceName}`;
    // Reaping dead instances, claiming a block and removing leftovers happen under one machine-wide
    // lock, so two starting instances never take the same block or clean up the same dead instance at once.
    const claim = await withMachineLock(SANDBOX_CLAIMS_LOCK, async () => {
      const namesOnMachine = await reapDeadInstances(options.logger);
      const taken = claimInstance(options.instanceName, stateDir, options.networkIndex, undefined, await occupiedBlocks(options.instanceName));
      try {
        await removeLeftovers(options.instanceName, taken, namesOnMachine, options.logger);
        return taken;
      } catch (err) {
        taken.release();
        throw err;
      }
    });
    const driver = new NamespaceSandboxDriver(options, stateDir, tools, claim, openCgroupHierarchy(`flint-${options.instanceName}`), support.cgroupVersion ?? 0);
    try {
      await driver.#setUp();
      return driver;
    } catch (err) {
      await driver.close().catch(() => undefined);
      throw err;
    }
  }

  private constructor(options: NamespaceSandboxDriverOptions, stateDir: string, tools: NativeTools, claim: InstanceClaim, cgroups: CgroupHierarchy, cgroupVersion: number) {
    this.#options = options;
    this.#tools = tools;
    this.#claim = claim;
    this.#cgroups = cgroups;
    this.#plan = networkPlan(options.instanceName, claim.index);
    this.#requestedHostAccess = options.hostAccess ?? (options.network === 'bridge' ? 'gateway' : 'none');
    this.hostAddress = this.#requestedHostAccess === 'none' ? undefined : this.#plan.gateway;
    this.gateway = this.#plan.gateway;
    this.#stateDir = stateDir;
    this.#root = readHostRoot();
    this.#specializer = new HelperServer(tools.helper);
    this.#network = new SandboxNetwork({
      plan: this.#plan,
      mode: options.network,
      hostAccess: this.#requestedHostAccess,
      preparedSlots: options.preparedNetworkSlots ?? 2,
      configureSandboxSide: (config) => this.#specializer.configureNetwork(config),
      onNotice: (message) => options.logger?.info(message),
    });
    this.#launches = new PreparedPool({
      target: options.preparedNetworkSlots ?? 2,
      refillDelayMs: LAUNCH_REFILL_DELAY_MS,
      prepare: async () => {
        const launch = await this.#spawnLaunch();
        try {
          await launch.joined;
        } catch (err) {
          await this.#removeLaunch(launch);
          throw err;
        }
        return launch;
      },
      remove: (launch) => this.#removeLaunch(launch),
      onError: (err) => options.logger?.warn({ err }, 'a prepared sandbox start failed'),
    });
    this.#cgroupVersion = cgroupVersion;
    this.isolation = this.#report();
  }

  #report(): IsolationReport {
    const degraded: string[] = [];
    if (this.#options.network === 'bridge' && hostNameservers().length === 0) degraded.push('sandboxes have no DNS: the host has no nameserver reachable from a network namespace');
    const hostAccess = this.#network.hostAccess;
    if (hostAccess !== this.#requestedHostAccess) degraded.push('sandboxes reach every host service listening on all addresses through host.flint.internal, not only those bound to it (no iptables socket match)');
    return { driver: `namespace (bubblewrap, cgroup v${this.#cgroupVersion})`, namespaces: true, cgroups: true, seccomp: true, network: this.#options.network, hostAccess, degraded };
  }

  async #setUp(): Promise<void> {
    this.#cgroups.open();
    this.#etcBinds = writeEtc(`${this.#stateDir}/etc`, { hostAddress: this.#plan.gateway, nameservers: this.#options.network === 'bridge' ? hostNameservers() : [] });
    await this.#network.open();
    this.isolation = this.#report();
    this.#specializer.warm();
    this.#launches.fill();
  }

  /** Starts prepared and ready to be taken (for diagnostics and tests). */
  get preparedStarts(): number {
    return this.#launches.readyCount;
  }

  async start(spec: CellSpec, hooks: CellHooks): Promise<Sandbox> {
    if (this.#closed) throw new Error('sandbox driver is closed');
    if (!ID_PATTERN.test(spec.id) || this.#live.has(spec.id) || this.#starting.has(spec.id)) throw new Error(`invalid or duplicate sandbox id ${spec.id}`);
    runtimeMountsInOrder(spec.runtimeMounts);
    this.#starting.add(spec.id);
    let launch: PreparedLaunch;
    try {
      // a launch whose helper ended while it waited left the ready ones at its exit (#spawnLaunch)
      launch = this.#launches.takeReady() ?? (await this.#spawnLaunch());
    } catch (err) {
      this.#starting.delete(spec.id);
      throw err;
    }
    try {
      launch.cgroup.apply(withMachinery(spec.limits));
      const { sandbox, channel } = this.#run(spec, launch);
      this.#live.set(spec.id, sandbox);
      const bound = channel.takeRuntimeApiListener().then((listener) => hooks.bindRuntimeApi({ listener, address: SANDBOX_RUNTIME_API }));
      bound.catch(() => undefined); // a sandbox that failed to start says why through started()
      await sandbox.started();
      await bound;
      return sandbox;
    } catch (err) {
      const sandbox = this.#live.get(spec.id);
      if (sandbox) await sandbox.destroy().catch(() => undefined);
      else await this.#removeLaunch(launch).catch(() => undefined);
      throw err;
    } finally {
      this.#starting.delete(spec.id);
    }
  }

  /** Takes a network slot, makes the cgroups and spawns the helper into both; resolves without waiting for it to get there. */
  async #spawnLaunch(): Promise<PreparedLaunch> {
    const slot = await this.#network.acquire();
    const key = `s${randomUUID().replaceAll('-', '').slice(0, 20)}`;
    this.#ownCgroups.add(key);
    let cgroup: SandboxCgroup | undefined;
    try {
      cgroup = this.#cgroups.create(key);
      const helperArgs = ['exec', '--netns', slot.netnsPath, ...cgroup.procsFiles.flatMap((f) => ['--cgroup-procs', f])];
      helperArgs.push('--uid', String(SANDBOX_UID), '--gid', String(SANDBOX_GID), '--command-fd', String(COMMAND_FD));
      const seccompFd = openSync(this.#tools.seccompBpf, 'r');
      let child;
      try {
        child = spawn(this.#tools.helper, helperArgs, {
          cwd: '/',
          env: {}, // the sandbox's comes with its command
          // fd 6: Node's IPC channel, the supervisor's control channel; fd 7: a socket (the helper answers on it)
          stdio: ['ignore', 'pipe', 'pipe', seccompFd, 'pipe', 'pipe', 'ipc', 'pipe'],
        });
      } finally {
        closeSync(seccompFd);
      }
      child.on('error', (err) => this.#options.logger?.warn({ err, cgroup: key }, 'sandbox helper failed'));
      // a helper that ended before its command or arguments are written makes those writes fail (EPIPE):
      // the start then fails through bubblewrap's status, not through an unhandled stream error
      for (const fd of [4, COMMAND_FD]) stdioOf(child)[fd]!.on('error', () => undefined);
      const launch = { key, slot, cgroup, child, joined: joinedSignal(child) };
      child.once('exit', () => this.#launches.discard(launch)); // a helper that ends while it waits (killed) is replaced
      return launch;
    } catch (err) {
      await cgroup?.remove().catch(() => undefined);
      this.#ownCgroups.delete(key);
      await this.#network.release(slot).catch(() => undefined);
      throw err;
    }
  }

  /** Ends a launch that was not run (its helper exits at the end of its command socket) and frees what it held. */
  async #removeLaunch(launch: PreparedLaunch): Promise<void> {
    const { child } = launch;
    stdioOf(child)[COMMAND_FD]!.end();
    if (child.exitCode === null && child.signalCode === null) await Promise.race([once(child, 'exit'), delay(1000, undefined, { ref: false })]);
    try {
      await launch.cgroup.remove(); // kills whatever is left
    } finally {
      this.#ownCgroups.delete(launch.key);
      await this.#network.release(launch.slot);
    }
  }

  /** Sends a launch its environment and bubblewrap's command line: the sandbox starts. */
  #run(spec: CellSpec, launch: PreparedLaunch): { sandbox: NamespaceSandbox; channel: SupervisorChannel } {
    const { child, slot, cgroup, key } = launch;
    const args = bwrapArgs({
      root: this.#root.entries, etcDir: `${this.#stateDir}/etc`, etcBinds: this.#etcBinds, hostname: slot.address,
      tmpSizeBytes: spec.limits.tmpSizeMb * MiB, runtimeMounts: spec.runtimeMounts, seccompFd: 3, statusFd: 5, supervisor: this.#tools.helper,
    });
    const command = [this.#tools.bwrap, '--args', '4', '--', ...supervisorCommand(CONTROL_FD, spec.command, SANDBOX_RUNTIME_API)];
    const extra = stdioOf(child);
    extra[4]!.end(encodeArgs(args));
    extra[COMMAND_FD]!.end(encodeCommand({ ...spec.env, AWS_LAMBDA_RUNTIME_API: SANDBOX_RUNTIME_API }, command));
    const status = new BwrapStatus(extra[5]!);
    const channel = new SupervisorChannel(child);
    const sandbox = new NamespaceSandbox({
      id: spec.id, child, status, control: channel, cgroup, cgroupMarker: `/flint-${this.#options.instanceName}/${key}`, specializer: this.#specializer,
      runtimeApiAddress: SANDBOX_RUNTIME_API, hostAddress: this.hostAddress, address: slot.address,
      release: async () => {
        this.#live.delete(spec.id);
        this.#ownCgroups.delete(key); // the sandbox removes it now; a stale-sweep meanwhile does no harm
        await this.#network.release(slot);
      },
    });
    return { sandbox, channel };
  }

  /** Removes sandboxes of this instance that this driver does not track (open() already did so at start). */
  async cleanupStale(): Promise<void> {
    const stale = this.#cgroups.list().filter((name) => !this.#ownCgroups.has(name));
    if (stale.length > 0) this.#options.logger?.info({ count: stale.length }, 'removing stale sandboxes');
    await Promise.all(stale.map((id) => this.#cgroups.existing(id).remove(10_000)));
    await removeSlots(this.#plan, this.#network.slotsInUse());
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled([...this.#live.values()].map((s) => s.destroy()));
    try {
      await this.#launches.close();
      // the network first: it waits for the slots still being prepared, which ask the helper to configure them
      try {
        await this.#network.close();
      } finally {
        this.#specializer.close();
      }
      this.#cgroups.close();
      rmSync(this.#stateDir, { recursive: true, force: true });
    } finally {
      this.#claim.release();
    }
  }
}

/** The helper's descriptors past stderr (see PreparedLaunch): each a stream both ways (the pipes Node makes are socket pairs). */
function stdioOf(child: ChildProcess): readonly (Duplex | undefined)[] {
  return child.stdio as unknown as readonly (Duplex | undefined)[];
}

/** Resolves at the helper's first word on its command socket ("j": in place); rejects, with what it said, if it ends first. */
function joinedSignal(child: ChildProcess): Promise<void> {
  const socket = stdioOf(child)[COMMAND_FD]!;
  const said: Buffer[] = [];
  const collect = (chunk: Buffer) => said.length < 16 && said.push(chunk);
  child.stderr!.on('data', collect);
  const joined = new Promise<void>((resolve, reject) => {
    const ended = () => {
      child.stderr!.off('data', collect);
      const message = Buffer.concat(said).toString().trim();
      reject(new Error(`sandbox helper ended before it was in place (${child.exitCode ?? child.signalCode})${message ? `: ${message}` : ''}`));
    };
    socket.once('data', () => {
      child.off('exit', ended);
      child.stderr!.off('data', collect);
      resolve();
    });
    child.once('exit', ended);
  });
  joined.catch(() => undefined); // a start that does not wait for it meets the failure through bubblewrap's status
  return joined;
}
