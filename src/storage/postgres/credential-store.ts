/** Access keys (`credentials`): users' and execution-role sessions', secrets sealed with the master key. */
import type { CredentialStore, StoredCredential } from '../ports.ts';
import { CREDENTIAL_COLUMNS, credentialFromRow, type CredentialRow } from '../rows.ts';
import type { Sql } from './sql.ts';

export class PostgresCredentialStore implements CredentialStore {
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  async insert(c: StoredCredential): Promise<boolean> {
    const n = await this.#sql.count(
      `INSERT INTO credentials (${CREDENTIAL_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (access_key_id) DO NOTHING`,
      [c.accessKeyId, c.accountId, c.name, c.arn, c.sealedSecret, c.sessionTokenDigest ?? null, c.createdMs, c.expiresMs ?? null],
    );
    return n > 0;
  }

  async get(accessKeyId: string): Promise<StoredCredential | undefined> {
    const [row] = await this.#sql.rows<CredentialRow>(`SELECT ${CREDENTIAL_COLUMNS} FROM credentials WHERE access_key_id = $1`, [accessKeyId]);
    return row === undefined ? undefined : credentialFromRow(row);
  }

  async listUsers(): Promise<StoredCredential[]> {
    return (await this.#sql.rows<CredentialRow>(`SELECT ${CREDENTIAL_COLUMNS} FROM credentials WHERE session_token_digest IS NULL ORDER BY account_id, name, access_key_id`)).map(credentialFromRow);
  }

  async delete(accessKeyId: string): Promise<boolean> {
    return (await this.#sql.count('DELETE FROM credentials WHERE access_key_id = $1', [accessKeyId])) > 0;
  }

  deleteExpired(nowMs: number): Promise<number> {
    return this.#sql.count('DELETE FROM credentials WHERE expires_ms IS NOT NULL AND expires_ms <= $1', [nowMs]);
  }
}
