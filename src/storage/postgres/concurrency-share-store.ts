/**
 * Front ends' shares of the account's concurrency (`concurrency_shares`). Every claim first
 * locks the one row of `concurrency_pool`, so claims run one at a time and the live shares never
 * add up past the limit, however many front ends claim at once.
 */
import type { ConcurrencyShareStore } from '../ports.ts';
import { one, type Sql } from './sql.ts';

export class PostgresConcurrencyShareStore implements ConcurrencyShareStore {
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  claim(holder: string, want: number, limit: number, nowMs: number, ttlMs: number): Promise<number> {
    return this.#sql.atomically(async (sql) => {
      await sql.rows('SELECT 1 FROM concurrency_pool WHERE id = 1 FOR UPDATE');
      const others = await one<{ held: number }>(sql, 'SELECT COALESCE(SUM(share), 0) AS held FROM concurrency_shares WHERE holder <> $1 AND expires_ms > $2', [holder, nowMs]);
      const granted = Math.max(0, Math.min(want, limit - others.held));
      await sql.count(
        `INSERT INTO concurrency_shares (holder, share, expires_ms) VALUES ($1, $2, $3)
         ON CONFLICT (holder) DO UPDATE SET share = excluded.share, expires_ms = excluded.expires_ms`,
        [holder, granted, nowMs + ttlMs],
      );
      // Expired shares count for nothing; clear them out while the pool is locked.
      await sql.count('DELETE FROM concurrency_shares WHERE expires_ms <= $1', [nowMs]);
      return granted;
    });
  }

  async release(holder: string): Promise<void> {
    await this.#sql.count('DELETE FROM concurrency_shares WHERE holder = $1', [holder]);
  }
}
