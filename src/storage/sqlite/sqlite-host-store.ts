import { Queries, type Database } from '../../db/index.ts';
import type { HostRecord, HostStore } from '../ports.ts';

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

/** Registered worker hosts (`worker_hosts`) in the embedded database. */
export class SqliteHostStore implements HostStore {
  readonly #q: Queries;

  constructor(db: Database) {
    this.#q = new Queries(db);
  }

  async register(h: HostRecord): Promise<void> {
    this.#q.run(
      `INSERT OR REPLACE INTO worker_hosts (id, endpoint, api_key, memory_mb, cpus, runtimes, registered_ms, heartbeat_ms, lease_expires_ms, draining, memory_in_use_mb, sandboxes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      h.id, h.endpoint, h.apiKey, h.memoryMb, h.cpus, JSON.stringify(h.runtimes), h.registeredMs, h.heartbeatMs, h.leaseExpiresMs, h.draining ? 1 : 0, h.memoryInUseMb, h.sandboxes,
    );
  }

  async heartbeat(id: string, report: { readonly memoryInUseMb: number; readonly sandboxes: number }, nowMs: number): Promise<boolean> {
    return this.#q.run('UPDATE worker_hosts SET heartbeat_ms = ?, memory_in_use_mb = ?, sandboxes = ? WHERE id = ?', nowMs, report.memoryInUseMb, report.sandboxes, id);
  }

  async setDraining(id: string): Promise<void> {
    this.#q.run('UPDATE worker_hosts SET draining = 1 WHERE id = ?', id);
  }

  async remove(id: string): Promise<void> {
    this.#q.run('DELETE FROM worker_hosts WHERE id = ?', id);
  }

  async list(): Promise<HostRecord[]> {
    return this.#q.all<HostRow>('SELECT * FROM worker_hosts ORDER BY id').map((r) => ({
      id: r.id,
      endpoint: r.endpoint,
      apiKey: r.api_key,
      memoryMb: r.memory_mb,
      cpus: r.cpus,
      runtimes: JSON.parse(r.runtimes) as string[],
      registeredMs: r.registered_ms,
      heartbeatMs: r.heartbeat_ms,
      leaseExpiresMs: r.lease_expires_ms,
      draining: r.draining === 1,
      memoryInUseMb: r.memory_in_use_mb,
      sandboxes: r.sandboxes,
    }));
  }
}
