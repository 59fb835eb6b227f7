/** Join tokens for worker hosts (`join_tokens`): only digests are stored. */
import type { JoinTokenStore } from '../ports.ts';
import type { Sql } from './sql.ts';

export class PostgresJoinTokenStore implements JoinTokenStore {
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  async add(digestHex: string, createdMs: number): Promise<void> {
    await this.#sql.count('INSERT INTO join_tokens (digest_hex, created_ms) VALUES ($1, $2) ON CONFLICT (digest_hex) DO NOTHING', [digestHex, createdMs]);
  }

  async has(digestHex: string): Promise<boolean> {
    return (await this.#sql.rows('SELECT 1 FROM join_tokens WHERE digest_hex = $1', [digestHex])).length > 0;
  }
}
