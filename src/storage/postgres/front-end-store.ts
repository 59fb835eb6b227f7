/** The cluster's front ends (`front_ends`): each refreshes its own row as its heartbeat. */
import type { FrontEndRecord, FrontEndStore } from '../ports.ts';
import type { Sql } from './sql.ts';

export class PostgresFrontEndStore implements FrontEndStore {
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  async announce(f: FrontEndRecord): Promise<void> {
    await this.#sql.count(
      `INSERT INTO front_ends (id, endpoint, started_ms, heartbeat_ms) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET endpoint = excluded.endpoint, started_ms = excluded.started_ms, heartbeat_ms = excluded.heartbeat_ms`,
      [f.id, f.endpoint, f.startedMs, f.heartbeatMs],
    );
  }

  async remove(id: string): Promise<void> {
    await this.#sql.count('DELETE FROM front_ends WHERE id = $1', [id]);
  }

  list(): Promise<FrontEndRecord[]> {
    return this.#sql.rows('SELECT id, endpoint, started_ms AS "startedMs", heartbeat_ms AS "heartbeatMs" FROM front_ends ORDER BY id');
  }
}
