import type { JoinTokenStore } from '../ports.ts';
import type { Database } from './database.ts';
import { Queries } from './queries.ts';
import type { Synchronous } from './synchronous-port.ts';

/** JoinTokenStore over SQLite: digests of the worker hosts' join tokens (`join_tokens`). */
export class SqliteJoinTokenStore implements Synchronous<JoinTokenStore> {
  readonly #q: Queries;

  constructor(db: Database) {
    this.#q = new Queries(db);
  }

  add(digestHex: string, createdMs: number): void {
    this.#q.run('INSERT INTO join_tokens (digest_hex, created_ms) VALUES (?, ?) ON CONFLICT (digest_hex) DO NOTHING', digestHex, createdMs);
  }

  has(digestHex: string): boolean {
    return this.#q.get('SELECT 1 AS found FROM join_tokens WHERE digest_hex = ?', digestHex) !== undefined;
  }
}
