import type { ConcurrencyShareStore } from '../ports.ts';
import type { Database } from './database.ts';
import { Queries } from './queries.ts';
import type { Synchronous } from './synchronous-port.ts';

/** ConcurrencyShareStore over SQLite: one row per holder (`concurrency_shares`), claimed atomically against the others' live shares. */
export class SqliteConcurrencyShareStore implements Synchronous<ConcurrencyShareStore> {
  readonly #q: Queries;

  constructor(db: Database) {
    this.#q = new Queries(db);
  }

  claim(holder: string, want: number, limit: number, nowMs: number, ttlMs: number): number {
    return this.#q.atomically(() => {
      const others = this.#q.get<{ n: number }>('SELECT COALESCE(SUM(share), 0) AS n FROM concurrency_shares WHERE holder <> ? AND expires_ms > ?', holder, nowMs)!.n;
      const granted = Math.max(0, Math.min(want, limit - others));
      this.#q.run(
        `INSERT INTO concurrency_shares (holder, share, expires_ms) VALUES (?, ?, ?)
         ON CONFLICT (holder) DO UPDATE SET share = excluded.share, expires_ms = excluded.expires_ms`,
        holder, granted, nowMs + ttlMs,
      );
      return granted;
    });
  }

  release(holder: string): void {
    this.#q.run('DELETE FROM concurrency_shares WHERE holder = ?', holder);
  }
}
