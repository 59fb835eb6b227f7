import type { LeaseStore } from '../ports.ts';
import type { Database } from './database.ts';
import { Queries } from './queries.ts';
import type { Synchronous } from './synchronous-port.ts';

/** LeaseStore over SQLite: one row per named lease (`leases`), taken or renewed in one statement. */
export class SqliteLeaseStore implements Synchronous<LeaseStore> {
  readonly #q: Queries;

  constructor(db: Database) {
    this.#q = new Queries(db);
  }

  acquire(name: string, holder: string, nowMs: number, ttlMs: number): boolean {
    // The upsert changes the row only when the lease is free (no row), expired, or already the holder's.
    return this.#q.run(
      `INSERT INTO leases (name, holder, expires_ms) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_ms = excluded.expires_ms
       WHERE leases.holder = excluded.holder OR leases.expires_ms <= ?`,
      name, holder, nowMs + ttlMs, nowMs,
    );
  }

  release(name: string, holder: string): void {
    this.#q.run('DELETE FROM leases WHERE name = ? AND holder = ?', name, holder);
  }
}
