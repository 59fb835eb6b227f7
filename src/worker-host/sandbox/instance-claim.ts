/**
 * Claims of driver instances on one machine: a file per network block index under
 * a shared directory, holding the instance name and the owning process. It keeps
 * concurrently running Flint instances on distinct address blocks, refuses a
 * second live instance of the same name (their cleanups would fight), and lets a
 * restarted instance take back the block of its crashed predecessor. Callers hold
 * the machine-wide claims lock (machine-lock.ts): the read-then-write here is not
 * atomic on its own.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, readlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { NETWORK_INDEXES } from './network-plan.ts';

/** Where instances keep their state directories (`<root>/<name>`) and claims (`<root>/claims`). */
export const SANDBOX_STATE_ROOT = '/run/flint-sandbox';
export const DEFAULT_CLAIM_DIR = `${SANDBOX_STATE_ROOT}/claims`;

interface ClaimRecord {
  readonly name: string;
  readonly stateDir: string;
  readonly pid: number;
  readonly startTime: string;
  /** The owner's pid namespace (`/proc/self/ns/pid`): its pid means nothing in another one. */
  readonly pidNamespace?: string;
  readonly token: string;
}

export interface InstanceClaim {
  readonly index: number;
  /** The dead instance whose block was taken over, if any: its leftovers are the taker's to remove. */
  readonly predecessor: { readonly name: string; readonly stateDir: string } | undefined;
  release(): void;
}

/**
 * Claims a network block for `name`: its earlier block if a dead process held it,
 * else `preferred`, else the first free one. Throws if a live process (another
 * driver, even in this process) holds `name`, or `preferred` is taken. Blocks in
 * `occupied` (in use on the machine though no claim says so: what an instance left
 * that could not be removed) are never taken.
 */
export function claimInstance(name: string, stateDir: string, preferred?: number, dir = DEFAULT_CLAIM_DIR, occupied: ReadonlySet<number> = new Set()): InstanceClaim {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const mine: ClaimRecord = { name, stateDir, pid: process.pid, startTime: startTimeOf(process.pid) ?? '', pidNamespace: PID_NAMESPACE, token: randomUUID() };
  const existing = new Map<number, ClaimRecord | undefined>();
  for (const entry of readdirSync(dir)) if (/^\d+$/.test(entry)) existing.set(Number(entry), read(`${dir}/${entry}`));
  for (const [index, record] of existing) {
    if (record?.name !== name) continue;
    if (alive(record)) throw new Error(`sandbox instance ${name} is in use by pid ${record.pid}`);
    if (preferred === undefined || preferred === index) return take(dir, index, mine, record);
  }
  // free blocks first: a dead instance's block is taken over only when none is left
  const candidates = preferred === undefined ? [...NETWORK_INDEXES].sort((a, b) => Number(existing.has(a)) - Number(existing.has(b))) : [preferred];
  for (const index of candidates) {
    const record = existing.get(index);
    if (occupied.has(index) || (existing.has(index) && record !== undefined && alive(record))) continue;
    try {
      return take(dir, index, mine, record, existing.has(index));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new Error(preferred === undefined ? 'no free sandbox network block' : `sandbox network block ${preferred} is in use`);
}

/** One claim file as found: its owner (undefined if unreadable: its writer died mid-write) and whether that owner lives. */
export interface FoundClaim {
  readonly index: number;
  readonly owner: { readonly name: string; readonly stateDir: string } | undefined;
  readonly alive: boolean;
}

/** Every claim in `dir`. Call while holding the claims lock. */
export function readClaims(dir = DEFAULT_CLAIM_DIR): FoundClaim[] {
  let entries: string[];
  try {
    entries = readdirSync(dir).filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  return entries.map((entry) => {
    const record = read(`${dir}/${entry}`);
    return { index: Number(entry), owner: record && { name: record.name, stateDir: record.stateDir }, alive: record !== undefined && alive(record) };
  });
}

/** Deletes the claim file of block `index` if its owner is dead. Call while holding the claims lock. */
export function dropDeadClaim(index: number, dir = DEFAULT_CLAIM_DIR): void {
  const record = read(`${dir}/${index}`);
  if (record === undefined || !alive(record)) unlinkQuiet(`${dir}/${index}`);
}

/** A stable instance name for a data directory: the same after a restart, distinct for other data directories. */
export function sandboxInstanceName(dataDir: string): string {
  let path = dataDir;
  try {
    path = realpathSync(dataDir);
  } catch {
    /* not created yet */
  }
  return `f${createHash('sha256').update(path).digest('hex').slice(0, 7)}`;
}

function take(dir: string, index: number, mine: ClaimRecord, previous: ClaimRecord | undefined, replace = true): InstanceClaim {
  const file = `${dir}/${index}`;
  if (replace) unlinkQuiet(file);
  writeFileSync(file, JSON.stringify(mine), { flag: 'wx', mode: 0o644 });
  return {
    index,
    predecessor: previous === undefined ? undefined : { name: previous.name, stateDir: previous.stateDir },
    release: () => {
      if (read(file)?.token === mine.token) unlinkQuiet(file);
    },
  };
}

function read(file: string): ClaimRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as Partial<ClaimRecord> | null;
    const valid = typeof record?.name === 'string' && typeof record.stateDir === 'string' && Number.isInteger(record.pid) && typeof record.startTime === 'string';
    return valid ? (record as ClaimRecord) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The owner runs: its pid exists and started when the claim says (a reused pid started
 * later). An owner in another pid namespace (a container sharing /run and the network)
 * cannot be looked up from here and counts as alive: its resources are never reaped.
 */
function alive(record: ClaimRecord): boolean {
  if (record.pidNamespace !== undefined && record.pidNamespace !== PID_NAMESPACE) return true;
  const startTime = startTimeOf(record.pid);
  return startTime !== undefined && startTime === record.startTime;
}

/** This process's pid namespace: pids of claims made in another one cannot be looked up here. */
const PID_NAMESPACE = (() => {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return undefined;
  }
})();

/** Start time of a process (field 22 of /proc/PID/stat): tells a live owner from a reused pid. */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function unlinkQuiet(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    /* gone */
  }
}
