/**
 * Pure decisions of provisioned concurrency reconciliation: how many sandboxes
 * of each version to start or give up, and which configs change status.
 * Versions are identified by their sandbox key (`versionKey`).
 */
export type ProvisionedStatus = 'IN_PROGRESS' | 'READY' | 'FAILED';

/** One provisioned concurrency config, as far as these decisions need it. */
export interface AllocationView {
  readonly functionName: string;
  readonly qualifier: string;
  readonly status: ProvisionedStatus;
  /** Sandboxes wanted per version (an alias's weights split its count). */
  readonly versions: ReadonlyArray<{ readonly key: string; readonly count: number }>;
}

export interface ProvisionedPlan {
  /** Sandboxes to start per version key. */
  readonly start: ReadonlyArray<readonly [string, number]>;
  /** Provisioned sandboxes to give up per version key. */
  readonly drop: ReadonlyArray<readonly [string, number]>;
}

export interface StatusUpdate {
  readonly functionName: string;
  readonly qualifier: string;
  readonly status: 'READY' | 'FAILED';
  readonly reason?: string | undefined;
}

/** Sandboxes wanted per version key, summed over every config that names the version. */
export function wantedByKey(allocations: readonly AllocationView[]): Map<string, number> {
  const wanted = new Map<string, number>();
  for (const a of allocations) for (const v of a.versions) wanted.set(v.key, (wanted.get(v.key) ?? 0) + v.count);
  return wanted;
}

/**
 * Start what is missing and drop what is no longer wanted. A version whose start
 * failed since the allocations last changed is not retried (its config is FAILED).
 */
export function planProvisioned(wanted: ReadonlyMap<string, number>, have: ReadonlyMap<string, number>, failed: ReadonlySet<string>): ProvisionedPlan {
  const start: Array<[string, number]> = [];
  const drop: Array<[string, number]> = [];
  for (const [key, n] of wanted) {
    const missing = n - (have.get(key) ?? 0);
    if (missing > 0 && !failed.has(key)) start.push([key, missing]);
    if (missing < 0) drop.push([key, -missing]);
  }
  for (const [key, n] of have) if (!wanted.has(key) && n > 0) drop.push([key, n]);
  return { start, drop };
}

/**
 * Status changes to report: FAILED (with the reason) for a config in progress
 * whose version could not be initialised; READY once every version of a config
 * has all its sandboxes. A config whose versions are gone changes nothing.
 */
export function statusUpdates(allocations: readonly AllocationView[], have: ReadonlyMap<string, number>, failed: ReadonlyMap<string, string>): StatusUpdate[] {
  const wanted = wantedByKey(allocations);
  const out: StatusUpdate[] = [];
  for (const a of allocations) {
    if (a.versions.length === 0) continue;
    const failure = a.versions.map((v) => failed.get(v.key)).find((r) => r !== undefined);
    if (failure !== undefined) {
      if (a.status === 'IN_PROGRESS') out.push({ functionName: a.functionName, qualifier: a.qualifier, status: 'FAILED', reason: failure });
      continue;
    }
    const complete = a.versions.every((v) => (have.get(v.key) ?? 0) >= (wanted.get(v.key) ?? 0));
    if (complete && a.status !== 'READY') out.push({ functionName: a.functionName, qualifier: a.qualifier, status: 'READY' });
  }
  return out;
}
