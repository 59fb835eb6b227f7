/**
 * Which host services a sandbox reaches through `host.flint.internal` (the gateway
 * address of its instance). Pure.
 *
 * - `all`: every port the host listens on, reached through the gateway address, as
 *   `host.docker.internal` does: services bound to all addresses (`0.0.0.0`, `::`) and
 *   to the gateway itself. Not services bound to 127.0.0.1 only (a packet addressed
 *   to the gateway never matches them, and nothing rewrites it to loopback).
 * - `gateway`: only services bound to the gateway address itself (Flint's API, what
 *   the operator binds there).
 * - `none`: nothing of the host.
 * None of them concerns the Runtime API: each sandbox reaches its own on its own
 * loopback (127.0.0.1:9001, inside its network namespace), never through the host.
 * In every setting other sandboxes, other host addresses and the rest of
 * 169.254.0.0/16 (169.254.169.254 included) stay out of reach.
 *
 * The default opens the host only on a developer's machine: `all` while Flint's API
 * listens on loopback only, `gateway` when it listens beyond (a shared host, where a
 * database bound to all addresses must stay out of reach), `none` for an isolated
 * sandbox network (which reaches nothing but its own Runtime API unless told otherwise).
 */
import { isIPv4, isIPv6 } from 'node:net';

export type HostAccess = 'all' | 'gateway' | 'none';
export const HOST_ACCESS_SETTINGS = ['all', 'gateway', 'none'] as const satisfies readonly HostAccess[];

export interface HostAccessChoice {
  readonly access: HostAccess;
  /** Why this setting: for the start line. */
  readonly reason: string;
}

export function chooseHostAccess(requested: HostAccess | undefined, listenHost: string, network: 'bridge' | 'isolated'): HostAccessChoice {
  if (requested !== undefined) return { access: requested, reason: 'set by --sandbox-host-access' };
  if (network === 'isolated') return { access: 'none', reason: 'the default of an isolated sandbox network' };
  if (isLoopbackHost(listenHost)) return { access: 'all', reason: `the default while Flint listens on loopback only (--host ${listenHost})` };
  return { access: 'gateway', reason: `the default while Flint listens beyond loopback (--host ${listenHost}): a shared host` };
}

/** True for names and addresses that only ever mean this machine's loopback. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (isIPv4(h)) return h.startsWith('127.');
  if (isIPv6(h)) return h === '::1' || /^::ffff:127\./.test(h) || /^(0+:){7}0*1$/.test(h);
  return h === 'localhost' || h.endsWith('.localhost');
}

/** One sentence for the start line. */
export function describeHostAccess(choice: HostAccessChoice): string {
  const what = {
    all: 'every port the host listens on (except 127.0.0.1-only services)',
    gateway: 'only services bound to host.flint.internal itself',
    none: 'nothing of the host',
  }[choice.access];
  return `Functions reach ${what} through host.flint.internal: --sandbox-host-access ${choice.access}, ${choice.reason}.`;
}
