/** Worker hosts as registered (`hosts`): what each offers, its heartbeat and its registration lease. */
import type { HostRecord, HostStore } from '../ports.ts';
import type { Sql } from './sql.ts';

interface HostRow {
  id: string;
  endpoint: string;
  api_key: string;
  memory_mb: number;
  cpus: number;
  runtimes: string[];
  registered_ms: number;
  heartbeat_ms: number;
  lease_expires_ms: number;
  draining: boolean;
  memory_in_use_mb: number;
  sandboxes: number;
}

const COLUMNS = 'id, endpoint, api_key, memory_mb, cpus, runtimes, registered_ms, heartbeat_ms, lease_expires_ms, draining, memory_in_use_mb, sandboxes';

export class PostgresHostStore implements HostStore {
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  async register(h: HostRecord): Promise<void> {
    await this.#sql.count(
      `INSERT INTO hosts (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (id) DO UPDATE SET endpoint = excluded.endpoint, api_key = excluded.api_key, memory_mb = excluded.memory_mb, cpus = excluded.cpus,
         runtimes = excluded.runtimes, registered_ms = excluded.registered_ms, heartbeat_ms = excluded.heartbeat_ms,
         lease_expires_ms = excluded.lease_expires_ms, draining = excluded.draining, memory_in_use_mb = excluded.memory_in_use_mb,
         sandboxes = excluded.sandboxes`,
      [h.id, h.endpoint, h.apiKey, h.memoryMb, h.cpus, [...h.runtimes], h.registeredMs, h.heartbeatMs, h.leaseExpiresMs, h.draining, h.memoryInUseMb, h.sandboxes],
    );
  }

  async heartbeat(id: string, report: { readonly memoryInUseMb: number; readonly sandboxes: number }, nowMs: number): Promise<boolean> {
    const updated = await this.#sql.count('UPDATE hosts SET heartbeat_ms = $1, memory_in_use_mb = $2, sandboxes = $3 WHERE id = $4', [nowMs, report.memoryInUseMb, report.sandboxes, id]);
    return updated > 0;
  }

  async setDraining(id: string): Promise<void> {
    await this.#sql.count('UPDATE hosts SET draining = TRUE WHERE id = $1', [id]);
  }

  async remove(id: string): Promise<void> {
    await this.#sql.count('DELETE FROM hosts WHERE id = $1', [id]);
  }

  async list(): Promise<HostRecord[]> {
    return (await this.#sql.rows<HostRow>(`SELECT ${COLUMNS} FROM hosts ORDER BY id`)).map((r) => ({
      id: r.id,
      endpoint: r.endpoint,
      apiKey: r.api_key,
      memoryMb: r.memory_mb,
      cpus: r.cpus,
      runtimes: r.runtimes,
      registeredMs: r.registered_ms,
      heartbeatMs: r.heartbeat_ms,
      leaseExpiresMs: r.lease_expires_ms,
      draining: r.draining,
      memoryInUseMb: r.memory_in_use_mb,
      sandboxes: r.sandboxes,
    }));
  }
}
