/**
 * Pure scheduling decisions of the worker manager (OpenWhisk's `schedule()` idea):
 * which warm sandbox serves an invoke, and which idle ones to reclaim.
 */
export interface IdleSandboxView {
  readonly id: string;
  /** When its last invocation ended (or its init finished). */
  readonly lastUsedMs: number;
  readonly createdMs: number;
}

/**
 * The most recently used idle sandbox: concentrating load on the fewest sandboxes
 * lets the rest reach their keep-alive and be reclaimed.
 */
export function chooseWarmSandbox(idle: Iterable<IdleSandboxView>): string | undefined {
  let best: IdleSandboxView | undefined;
  for (const s of idle) if (best === undefined || s.lastUsedMs > best.lastUsedMs) best = s;
  return best?.id;
}

/** Idle sandboxes past their keep-alive or their maximum lifetime. */
export function sandboxesToReclaim(idle: Iterable<IdleSandboxView>, nowMs: number, idleTimeoutMs: number, maxLifetimeMs: number): string[] {
  const out: string[] = [];
  for (const s of idle) if (nowMs - s.lastUsedMs >= idleTimeoutMs || nowMs - s.createdMs >= maxLifetimeMs) out.push(s.id);
  return out;
}
