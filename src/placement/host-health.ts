/**
 * A remote host's health from its heartbeats, as a pure rule: it is healthy while its
 * last heartbeat is younger than `missed` heartbeat intervals (the 3 x 1 s), so
 * a host that stops answering leaves placement within `missed x intervalMs`.
 */
export interface HeartbeatRule {
  readonly intervalMs: number;
  /** Heartbeats in a row a host may miss before it is unhealthy. */
  readonly missed: number;
}

export const DEFAULT_HEARTBEAT: HeartbeatRule = { intervalMs: 1000, missed: 3 };

export function isHealthy(lastHeartbeatMs: number | undefined, nowMs: number, rule: HeartbeatRule = DEFAULT_HEARTBEAT): boolean {
  return lastHeartbeatMs !== undefined && nowMs - lastHeartbeatMs < rule.intervalMs * rule.missed;
}
