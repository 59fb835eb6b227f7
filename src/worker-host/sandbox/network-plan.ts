/**
 * Names and addresses of one driver instance's sandbox network. Pure.
 *
 * Link-local only: instance `index` owns 169.254.(8*index).0/21; the host's end
 * (`host.flint.internal`, where Flint's API is offered to functions) is .1 of that block, and
 * sandbox slot k (1..2045) gets the address k+1 past it, routed over its own veth
 * pair (no shared L2, so sandboxes cannot reach each other). Blocks 0 and 31
 * (reserved by RFC 3927), 12 (169.254.100.1, the Runtime API address of real
 * Lambda) and 21 (169.254.169.254, cloud metadata) are never used.
 *
 * Every name carries `fl`/`flint-`, the instance name and a character instance
 * names cannot contain ('-'), so cleanup of one instance never matches another's.
 */
/** An instance name, as a regular expression source (names on the machine are parsed with it). */
export const INSTANCE_NAME = '[a-z0-9]{1,8}';
export const INSTANCE_NAME_PATTERN = new RegExp(`^${INSTANCE_NAME}$`);
export const NETWORK_INDEXES: readonly number[] = Array.from({ length: 30 }, (_, i) => i + 1).filter((i) => i !== 12 && i !== 21);
export const SLOTS_PER_INSTANCE = 2045;
export const LINK_LOCAL = '169.254.0.0/16';

export interface NetworkPlan {
  readonly instanceName: string;
  readonly index: number;
  /** e.g. 169.254.8.0/21 */
  readonly subnet: string;
  /** Host side: `host.flint.internal` (Runtime APIs are not here: each is on its sandbox's own loopback). */
  readonly gateway: string;
  /** Prefix of every host-side veth name, `fl<name>-` (at most 15 characters with the slot); `fl<name>-+` in iptables. */
  readonly vethPrefix: string;
  readonly netnsPrefix: string;
  /** iptables chain names. */
  readonly chains: { readonly input: string; readonly forward: string; readonly nat: string };
  /** Label of the gateway address on the loopback device. */
  readonly loopbackLabel: string;
}

export interface SlotPlan {
  readonly slot: number;
  readonly address: string;
  readonly hostVeth: string;
  readonly netns: string;
  readonly hostMac: string;
  readonly sandboxMac: string;
}

export function networkPlan(instanceName: string, index: number): NetworkPlan {
  if (!INSTANCE_NAME_PATTERN.test(instanceName)) throw new Error(`invalid sandbox instance name ${JSON.stringify(instanceName)}: [a-z0-9]{1,8}`);
  if (!NETWORK_INDEXES.includes(index)) throw new Error(`invalid sandbox network index ${index}`);
  const upper = `FLINT-${instanceName}`;
  return {
    instanceName,
    index,
    subnet: `169.254.${index * 8}.0/21`,
    gateway: `169.254.${index * 8}.1`,
    vethPrefix: `fl${instanceName}-`,
    netnsPrefix: `flint-${instanceName}-`,
    chains: { input: `${upper}-IN`, forward: `${upper}-FWD`, nat: `${upper}-NAT` },
    loopbackLabel: `lo:${instanceName}`,
  };
}

export function slotPlan(plan: NetworkPlan, slot: number): SlotPlan {
  if (!Number.isInteger(slot) || slot < 1 || slot > SLOTS_PER_INSTANCE) throw new Error(`invalid network slot ${slot}`);
  const offset = slot + 1;
  const hex = (n: number) => n.toString(16).padStart(2, '0');
  const mac = (side: number) => `02:f1:${hex(plan.index)}:${hex(offset >> 8)}:${hex(offset & 0xff)}:${hex(side)}`;
  return {
    slot,
    address: `169.254.${plan.index * 8 + (offset >> 8)}.${offset & 0xff}`,
    hostVeth: `${plan.vethPrefix}${slot}`,
    netns: `${plan.netnsPrefix}${slot}`,
    hostMac: mac(0),
    sandboxMac: mac(1),
  };
}

/** Slot number of a host veth or netns name of this instance, or undefined if the name is not one. */
export function slotOfName(plan: NetworkPlan, name: string): number | undefined {
  for (const prefix of [plan.vethPrefix, plan.netnsPrefix]) {
    if (!name.startsWith(prefix)) continue;
    const rest = name.slice(prefix.length);
    if (/^[1-9][0-9]{0,3}$/.test(rest)) return Number(rest);
  }
  return undefined;
}
