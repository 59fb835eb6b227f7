/**
 * The health rule every front end applies to the registered worker hosts, as a pure function:
 * a host takes new placements only while it heartbeats, is not draining and its lease runs.
 */
import type { HostRecord } from '../storage/index.ts';

/** How often a worker host heartbeats. */
export const HEARTBEAT_INTERVAL_MS = 1000;
/** A host whose last heartbeat is older than this (3 missed heartbeats) is silent: out of placement, its sandboxes lost. */
export const HEARTBEAT_TIMEOUT_MS = 3 * HEARTBEAT_INTERVAL_MS;

/**
 * `healthy`: takes placements. `draining`: asked to leave (drain or lease over); its busy sandboxes finish.
 * `lease-expired`: its lease is over but it has not started draining yet (it is told to at its next heartbeat).
 * `silent`: missed its heartbeats; it is removed, and registers again clean if it comes back.
 */
export type HostCondition = 'healthy' | 'draining' | 'lease-expired' | 'silent';

export function hostCondition(host: Pick<HostRecord, 'heartbeatMs' | 'draining' | 'leaseExpiresMs'>, nowMs: number): HostCondition {
  if (nowMs - host.heartbeatMs > HEARTBEAT_TIMEOUT_MS) return 'silent';
  if (host.draining) return 'draining';
  if (nowMs >= host.leaseExpiresMs) return 'lease-expired';
  return 'healthy';
}
