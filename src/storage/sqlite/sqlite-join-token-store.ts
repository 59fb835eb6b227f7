import { Queries, type Database } from '../../db/index.ts';
import type { JoinTokenStore } from '../ports.ts';

/** Digests of worker join tokens (`join_tokens`) in the embedded database; the tokens themselves are never stored. */
export class SqliteJoinTokenStore implements JoinTokenStore {
  readonly #q: Queries;

  constructor(db: Database) {
    this.#q = new Queries(db);
  }

  async add(digestHex: string, createdMs: number): Promise<void> {
    this.#q.run('INSERT OR IGNORE INTO join_tokens (digest_hex, created_ms) VALUES (?, ?)', digestHex, createdMs);
  }

  async has(digestHex: string): Promise<boolean> {
    return this.#q.get<{ one: number }>('SELECT 1 AS one FROM join_tokens WHERE digest_hex = ?', digestHex) !== undefined;
  }
}
