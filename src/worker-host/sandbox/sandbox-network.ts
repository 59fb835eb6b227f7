/**
 * One driver instance's sandbox network: the gateway address (on loopback), the
 * iptables chains, and per-sandbox network namespaces with a routed veth pair.
 * A few namespaces are kept prepared so that starting a sandbox does not wait for
 * `ip` (network setup stays off the cold-start path).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { GroupCommit } from '../../shared/index.ts';
import { runCommand } from './run-command.ts';
import { SLOTS_PER_INSTANCE, slotPlan, type NetworkPlan, type SlotPlan } from './network-plan.ts';
import {
  hostSlotBatch, instanceRulesScript, releaseSlotBatch, sandboxSideConfig, type NetworkMode, type SandboxSideConfig,
} from './network-commands.ts';
import type { HostAccess } from './host-access.ts';
import { removeInstanceNetwork } from './network-cleanup.ts';
import { PreparedPool } from './prepared-pool.ts';

export interface PreparedSlot extends SlotPlan {
  readonly netnsPath: string;
}

export interface SandboxNetworkOptions {
  readonly plan: NetworkPlan;
  readonly mode: NetworkMode;
  /** Host services sandboxes reach through the gateway (see host-access.ts). */
  readonly hostAccess: HostAccess;
  /** Namespaces kept ready ahead of demand. */
  readonly preparedSlots: number;
  /** Configures the sandbox side of a slot inside its namespace (the sandbox helper's netlink, no process spawned). */
  readonly configureSandboxSide: (config: SandboxSideConfig) => Promise<void>;
  /** Told about host changes worth knowing (forwarding enabled on an uplink). */
  readonly onNotice?: (message: string) => void;
}

export class SandboxNetwork {
  readonly #options: SandboxNetworkOptions;
  readonly #inUse = new Set<number>();
  readonly #pool: PreparedPool<PreparedSlot>;
  /**
   * The host side of slots being made, and slots being removed: what is asked while an `ip` runs
   * goes into the next one (a burst of sandbox starts runs a few `ip` processes, not one per slot).
   * A batch that fails fails each of its slots, which then remove what they made.
   */
  readonly #makeHostSides = new GroupCommit<string>((batches) => runCommand('ip', ['-batch', '-'], { input: batches.join('') }));
  readonly #removeSlots = new GroupCommit<string>((batches) => runCommand('ip', ['-force', '-batch', '-'], { input: batches.join(''), okCodes: [1] }));
  #next = 1;
  #hostAccess: HostAccess;

  constructor(options: SandboxNetworkOptions) {
    this.#options = options;
    this.#hostAccess = options.hostAccess;
    this.#pool = new PreparedPool({
      target: options.preparedSlots,
      prepare: () => this.#prepare(),
      remove: (slot) => this.#remove(slot),
      onError: (err) => options.onNotice?.(`sandbox network slot failed: ${String(err)}`),
    });
  }

  get gateway(): string {
    return this.#options.plan.gateway;
  }

  /** The host access enforced: the one asked for, or `all` where `gateway` needs the iptables socket match and it is missing. */
  get hostAccess(): HostAccess {
    return this.#hostAccess;
  }

  /** Creates the instance's gateway address and chains. Pre: stale state was removed. */
  async open(): Promise<void> {
    const { plan, mode } = this.#options;
    await runCommand('ip', ['addr', 'replace', `${plan.gateway}/32`, 'dev', 'lo', 'label', plan.loopbackLabel]);
    try {
      await runCommand('iptables-restore', ['--noflush', '-w'], { input: instanceRulesScript(plan, mode, this.#hostAccess) });
    } catch (err) {
      if (this.#hostAccess !== 'gateway') throw err;
      await runCommand('iptables-restore', ['--noflush', '-w'], { input: instanceRulesScript(plan, mode, 'all') });
      this.#hostAccess = 'all';
      this.#options.onNotice?.(`iptables socket match unavailable (${String(err)}): sandboxes reach every host service on the gateway address`);
    }
    if (mode === 'bridge') await this.#enableUplinkForwarding();
    this.#pool.fill();
  }

  /** A prepared namespace for a new sandbox. Post: the slot is in use until `release`. */
  acquire(): Promise<PreparedSlot> {
    return this.#pool.take();
  }

  /**
   * Ends a sandbox's use of its slot: gives the namespace back to the prepared pool,
   * which keeps it or deletes it (the sandbox had no capability over its network
   * namespace, so an emptied one is as good as new; its Runtime API listener was
   * Flint's to close).
   */
  async release(slot: PreparedSlot): Promise<void> {
    await this.#pool.give(slot);
  }

  async #remove(slot: SlotPlan): Promise<void> {
    await this.#removeSlots.add(releaseSlotBatch(slot));
    this.#inUse.delete(slot.slot);
  }

  /** Slots in use (prepared or running), for stale cleanup to leave alone. */
  slotsInUse(): ReadonlySet<number> {
    return this.#inUse;
  }

  /** Removes every prepared slot, the chains and the gateway address. */
  async close(): Promise<void> {
    await this.#pool.close();
    await removeInstanceNetwork(this.#options.plan);
  }

  async #prepare(): Promise<PreparedSlot> {
    const { plan, mode } = this.#options;
    const slot = slotPlan(plan, this.#allocate());
    try {
      await this.#makeHostSides.add(hostSlotBatch(plan, slot));
      const conf = `/proc/sys/net/ipv4/conf/${slot.hostVeth}`;
      writeFileSync(`${conf}/rp_filter`, '1'); // a sandbox can only send from its own address
      if (mode === 'bridge') writeFileSync(`${conf}/forwarding`, '1');
      writeFileSync(`/proc/sys/net/ipv6/conf/${slot.hostVeth}/disable_ipv6`, '1');
      await this.#options.configureSandboxSide(sandboxSideConfig(plan, slot, mode));
      return { ...slot, netnsPath: `/run/netns/${slot.netns}` };
    } catch (err) {
      await this.#remove(slot).catch(() => undefined);
      throw err;
    }
  }

  #allocate(): number {
    for (let i = 0; i < SLOTS_PER_INSTANCE; i++) {
      const slot = this.#next;
      this.#next = (this.#next % SLOTS_PER_INSTANCE) + 1;
      if (!this.#inUse.has(slot)) {
        this.#inUse.add(slot);
        return slot;
      }
    }
    throw new Error('no free sandbox network address');
  }

  /** Replies to sandbox traffic arrive on the uplink, which must forward them back. */
  async #enableUplinkForwarding(): Promise<void> {
    if (readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim() === '1') return;
    const routes = await runCommand('ip', ['-4', '-o', 'route', 'show', 'default']);
    for (const dev of new Set([...routes.matchAll(/\bdev (\S+)/g)].map((m) => m[1]!))) {
      const file = `/proc/sys/net/ipv4/conf/${dev}/forwarding`;
      if (readFileSync(file, 'utf8').trim() === '1') continue;
      writeFileSync(file, '1');
      this.#options.onNotice?.(`enabled IPv4 forwarding on ${dev} for sandbox egress (left on at close)`);
    }
  }
}
