import type { FrontEndRecord, FrontEndStore } from '../ports.ts';
import type { Database } from './database.ts';
import { Queries } from './queries.ts';
import type { Synchronous } from './synchronous-port.ts';

interface FrontEndRow { id: string; endpoint: string; started_ms: number; heartbeat_ms: number }

/** FrontEndStore over SQLite: one row per front end process (`front_ends`). */
export class SqliteFrontEndStore implements Synchronous<FrontEndStore> {
  readonly #q: Queries;

  constructor(db: Database) {
    this.#q = new Queries(db);
  }

  announce(f: FrontEndRecord): void {
    this.#q.run(
      `INSERT INTO front_ends (id, endpoint, started_ms, heartbeat_ms) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET endpoint = excluded.endpoint, started_ms = excluded.started_ms, heartbeat_ms = excluded.heartbeat_ms`,
      f.id, f.endpoint, f.startedMs, f.heartbeatMs,
    );
  }

  remove(id: string): void {
    this.#q.run('DELETE FROM front_ends WHERE id = ?', id);
  }

  list(): FrontEndRecord[] {
    return this.#q.all<FrontEndRow>('SELECT * FROM front_ends ORDER BY id').map((r) => ({ id: r.id, endpoint: r.endpoint, startedMs: r.started_ms, heartbeatMs: r.heartbeat_ms }));
  }
}
