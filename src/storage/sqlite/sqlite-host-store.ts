import type { HostRecord, HostStore } from '../ports.ts';
import type { Database } from './database.ts';
import { Queries } from './queries.ts';
import type { Synchronous } from './synchronous-port.ts';

interface HostRow {
  id: string;
  endpoint: string;
  api_key: string;
  memory_mb: number;
  cpus: number;
  runtimes: string;
  registered_ms: number;
  heartbeat_ms: number;
  lease_expires_ms: number;
  draining: number;
  memory_in_use_mb: number;
  sandboxes: number;
}

/** HostStore over SQLite: one row per registered worker host (`hosts`). */
export class SqliteHostStore implements Synchronous<HostStore> {
  readonly #q: Queries;

  constructor(db: Database) {
    this.#q = new Queries(db);
  }

  register(h: HostRecord): void {
    this.#q.run(
      `INSERT INTO hosts (id, endpoint, api_key, memory_mb, cpus, runtimes, registered_ms, heartbeat_ms, lease_expires_ms, draining, memory_in_use_mb, sandboxes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET endpoint = excluded.endpoint, api_key = excluded.api_key, memory_mb = excluded.memory_mb, cpus = excluded.cpus, runtimes = excluded.runtimes,
         registered_ms = excluded.registered_ms, heartbeat_ms = excluded.heartbeat_ms, lease_expires_ms = excluded.lease_expires_ms,
         draining = excluded.draining, memory_in_use_mb = excluded.memory_in_use_mb, sandboxes = excluded.sandboxes`,
      h.id, h.endpoint, h.apiKey, h.memoryMb, h.cpus, JSON.stringify(h.runtimes), h.registeredMs, h.heartbeatMs, h.leaseExpiresMs, h.draining ? 1 : 0, h.memoryInUseMb, h.sandboxes,
    );
  }

  heartbeat(id: string, report: { readonly memoryInUseMb: number; readonly sandboxes: number }, nowMs: number): boolean {
    return this.#q.run('UPDATE hosts SET heartbeat_ms = ?, memory_in_use_mb = ?, sandboxes = ? WHERE id = ?', nowMs, report.memoryInUseMb, report.sandboxes, id);
  }

  setDraining(id: string): void {
    this.#q.run('UPDATE hosts SET draining = 1 WHERE id = ?', id);
  }

  remove(id: string): void {
    this.#q.run('DELETE FROM hosts WHERE id = ?', id);
  }

  list(): HostRecord[] {
    return this.#q.all<HostRow>('SELECT * FROM hosts ORDER BY id').map((r) => ({
      id: r.id,
      endpoint: r.endpoint,
      apiKey: r.api_key,
      memoryMb: r.memory_mb,
      cpus: r.cpus,
      runtimes: JSON.parse(r.runtimes) as string[],
      registeredMs: r.registered_ms,
      heartbeatMs: r.heartbeat_ms,
      leaseExpiresMs: r.lease_expires_ms,
      draining: r.draining !== 0,
      memoryInUseMb: r.memory_in_use_mb,
      sandboxes: r.sandboxes,
    }));
  }
}
