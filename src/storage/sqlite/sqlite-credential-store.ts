import type { CredentialStore, StoredCredential } from '../ports.ts';
import { CREDENTIAL_COLUMNS, credentialFromRow, type CredentialRow } from '../rows.ts';
import type { Database } from './database.ts';
import { Queries } from './queries.ts';
import type { Synchronous } from './synchronous-port.ts';

/** CredentialStore over SQLite (`credentials`). */
export class SqliteCredentialStore implements Synchronous<CredentialStore> {
  readonly #q: Queries;

  constructor(db: Database) {
    this.#q = new Queries(db);
  }

  insert(c: StoredCredential): boolean {
    return this.#q.run(
      `INSERT INTO credentials (${CREDENTIAL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (access_key_id) DO NOTHING`,
      c.accessKeyId, c.accountId, c.name, c.arn, c.sealedSecret, c.sessionTokenDigest ?? null, c.createdMs, c.expiresMs ?? null,
    );
  }

  get(accessKeyId: string): StoredCredential | undefined {
    const row = this.#q.get<CredentialRow>(`SELECT ${CREDENTIAL_COLUMNS} FROM credentials WHERE access_key_id = ?`, accessKeyId);
    return row === undefined ? undefined : credentialFromRow(row);
  }

  listUsers(): StoredCredential[] {
    return this.#q.all<CredentialRow>(`SELECT ${CREDENTIAL_COLUMNS} FROM credentials WHERE session_token_digest IS NULL ORDER BY account_id, name, access_key_id`).map(credentialFromRow);
  }

  delete(accessKeyId: string): boolean {
    return this.#q.run('DELETE FROM credentials WHERE access_key_id = ?', accessKeyId);
  }

  deleteExpired(nowMs: number): number {
    return this.#q.all<{ n: number }>('DELETE FROM credentials WHERE expires_ms IS NOT NULL AND expires_ms <= ? RETURNING 1 AS n', nowMs).length;
  }
}
