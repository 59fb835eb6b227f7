/**
 * Pure scheduling decisions of the worker manager (OpenWhisk's `schedule()` idea):
 * which warm sandbox serves an invoke, and which idle ones to reclaim.
 */
export interface SandboxView {
  readonly id: string;
  /** When its last invocation ended (or its init finished). */
  readonly lastUsedMs: number;
  readonly createdMs: number;
  /** Running an invocation now. */
  readonly busy: boolean;
  /** False once it died or was destroyed. */
  readonly alive: boolean;
  /** Kept initialised for a provisioned concurrency config (never reclaimed by keep-alive). */
  readonly provisioned: boolean;
}

/**
 * The idle sandbox that serves the next invoke of its version: provisioned ones
 * first (they are paid for and always warm), then the most recently used, so that
 * load concentrates on the fewest sandboxes and the rest reach their keep-alive.
 */
export function chooseWarmSandbox<T extends SandboxView>(sandboxes: Iterable<T> | undefined): T | undefined {
  if (sandboxes === undefined) return undefined;
  let best: T | undefined;
  for (const s of sandboxes) {
    if (s.busy || !s.alive) continue;
    if (best === undefined || better(s, best)) best = s;
  }
  return best;
}

function better(a: SandboxView, b: SandboxView): boolean {
  if (a.provisioned !== b.provisioned) return a.provisioned;
  return a.lastUsedMs > b.lastUsedMs;
}

/**
 * Idle on-demand sandboxes past their keep-alive or their maximum lifetime. The keep-alive
 * is one for all, or per sandbox (the keep-alive policy's decision for its version).
 * Provisioned sandboxes are never reclaimed here: their config decides their life.
 */
export function sandboxesToReclaim<T extends SandboxView>(sandboxes: Iterable<T>, nowMs: number, idleTimeoutMs: number | ((s: T) => number), maxLifetimeMs: number): T[] {
  const out: T[] = [];
  for (const s of sandboxes) {
    if (s.busy || !s.alive || s.provisioned) continue;
    const keepMs = typeof idleTimeoutMs === 'number' ? idleTimeoutMs : idleTimeoutMs(s);
    if (nowMs - s.lastUsedMs >= keepMs || nowMs - s.createdMs >= maxLifetimeMs) out.push(s);
  }
  return out;
}

/**
 * Idle provisioned sandboxes past the maximum lifetime: Lambda recycles provisioned
 * environments too. The caller turns them into on-demand ones (reclaimed by the next
 * pass) so that the reconciler starts their replacements first: capacity never dips.
 */
export function provisionedToRecycle<T extends SandboxView>(sandboxes: Iterable<T>, nowMs: number, maxLifetimeMs: number): T[] {
  const out: T[] = [];
  for (const s of sandboxes) if (s.provisioned && s.alive && !s.busy && nowMs - s.createdMs >= maxLifetimeMs) out.push(s);
  return out;
}
