/**
 * Named leases (`leases`, one row per name). `acquire` is one upsert: the conflicting row is
 * locked and replaced only when its holder is the caller or its lease expired, so two front ends
 * acquiring at once never both hold it.
 */
import type { LeaseStore } from '../ports.ts';
import type { Sql } from './sql.ts';

export class PostgresLeaseStore implements LeaseStore {
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  async acquire(name: string, holder: string, nowMs: number, ttlMs: number): Promise<boolean> {
    const held = await this.#sql.rows(
      `INSERT INTO leases (name, holder, expires_ms) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_ms = excluded.expires_ms
       WHERE leases.holder = excluded.holder OR leases.expires_ms <= $4
       RETURNING 1`,
      [name, holder, nowMs + ttlMs, nowMs],
    );
    return held.length > 0;
  }

  async release(name: string, holder: string): Promise<void> {
    await this.#sql.count('DELETE FROM leases WHERE name = $1 AND holder = $2', [name, holder]);
  }
}
