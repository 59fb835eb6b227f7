/**
 * The `ip` batches and iptables rules of the sandbox network, as pure functions of
 * the plan (so they can be read and tested without root).
 *
 * Filter policy, per instance, only for packets on its own veths:
 * - INPUT from a sandbox: replies, then by host access (see host-access.ts), to the
 *   gateway address only: `all` accepts every port there (a wildcard listener takes
 *   the packet, a 127.0.0.1-only one never does: no rule rewrites the destination);
 *   `gateway` only ports with a socket bound to the gateway address itself (the
 *   `socket` match ignores wildcard listeners); `none` nothing. Other host addresses
 *   are dropped. No rule concerns the Runtime API: it listens on the sandbox's own
 *   loopback (127.0.0.1:9001 inside its network namespace), which never crosses the
 *   veth. A sandbox cannot forge its source address (no capabilities, strict
 *   reverse-path filter on its veth).
 * - FORWARD: never sandbox to sandbox, never to 169.254.0.0/16 (other instances,
 *   cloud metadata); bridge: new connections out, only replies in; isolated: nothing.
 * - nat (bridge): MASQUERADE what leaves the link-local range; nothing else (no DNAT).
 */
import type { HostAccess } from './host-access.ts';
import { LINK_LOCAL, type NetworkPlan, type SlotPlan } from './network-plan.ts';

export type NetworkMode = 'bridge' | 'isolated';

export function instanceRulesScript(plan: NetworkPlan, mode: NetworkMode, access: HostAccess): string {
  const { input, forward, nat } = plan.chains;
  const veths = `${plan.vethPrefix}+`;
  const lines = [
    '*filter',
    `:${input} - [0:0]`,
    `:${forward} - [0:0]`,
    `-A ${input} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
    ...hostInputRules(plan, access),
    `-A ${input} -j DROP`,
    `-A ${forward} -i ${veths} -o ${veths} -j DROP`,
    ...(mode === 'bridge'
      ? [
          `-A ${forward} -o ${veths} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
          `-A ${forward} -i ${veths} ! -d ${LINK_LOCAL} -j ACCEPT`,
        ]
      : []),
    `-A ${forward} -j DROP`,
    `-I INPUT -i ${veths} -j ${input}`,
    `-I FORWARD -i ${veths} -j ${forward}`,
    `-I FORWARD -o ${veths} -j ${forward}`,
    'COMMIT',
  ];
  if (mode === 'bridge') {
    lines.push('*nat', `:${nat} - [0:0]`, `-A ${nat} ! -d ${LINK_LOCAL} -j MASQUERADE`, `-I POSTROUTING -s ${plan.subnet} -j ${nat}`, 'COMMIT');
  }
  return `${lines.join('\n')}\n`;
}

/** INPUT rules admitting sandboxes to host services on the gateway address (before the final DROP). */
function hostInputRules(plan: NetworkPlan, access: HostAccess): string[] {
  const { input } = plan.chains;
  const gateway = `-d ${plan.gateway}/32`;
  switch (access) {
    case 'all':
      return [`-A ${input} ${gateway} -p icmp -j ACCEPT`, `-A ${input} ${gateway} -j ACCEPT`];
    case 'gateway':
      return [`-A ${input} ${gateway} -p icmp -j ACCEPT`, `-A ${input} ${gateway} -m socket -j ACCEPT`];
    case 'none':
      return [];
  }
}

/** Host side of a slot: its named netns and veth pair, a /32 route and static neighbour. */
export function hostSlotBatch(plan: NetworkPlan, slot: SlotPlan): string {
  return [
    `netns add ${slot.netns}`,
    `link add ${slot.hostVeth} address ${slot.hostMac} type veth peer name eth0 address ${slot.sandboxMac} netns ${slot.netns}`,
    `link set dev ${slot.hostVeth} addrgenmode none`,
    `link set dev ${slot.hostVeth} up`,
    `route add ${slot.address}/32 dev ${slot.hostVeth} src ${plan.gateway}`,
    `neigh replace ${slot.address} lladdr ${slot.sandboxMac} dev ${slot.hostVeth} nud permanent`,
    '',
  ].join('\n');
}

/**
 * Inside the slot's netns (configured by the sandbox helper over netlink, netns-config.c): eth0
 * without IPv6 link-local address, the slot's address, up; lo up; the gateway on the link and
 * its static neighbour; a default route via the gateway only in bridge mode.
 */
export interface SandboxSideConfig {
  readonly netnsPath: string;
  readonly address: string;
  readonly gateway: string;
  readonly gatewayMac: string;
  readonly mode: NetworkMode;
}

export function sandboxSideConfig(plan: NetworkPlan, slot: SlotPlan, mode: NetworkMode): SandboxSideConfig {
  return { netnsPath: `/run/netns/${slot.netns}`, address: slot.address, gateway: plan.gateway, gatewayMac: slot.hostMac, mode };
}

/** Removes a slot's veth pair (synchronously, so the name can be reused) and its netns. */
export function releaseSlotBatch(slot: SlotPlan): string {
  return `link del ${slot.hostVeth}\nnetns del ${slot.netns}\n`;
}
