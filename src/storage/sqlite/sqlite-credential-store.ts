import type { CredentialStore, StoredCredential } from '../ports.ts';
import type { Database } from './database.ts';
import { Queries } from './queries.ts';
import type { Synchronous } from './synchronous-port.ts';

interface Row {
  access_key_id: string;
  account_id: string;
  name: string;
  arn: string;
  sealed_secret: Uint8Array;
  session_token_digest: string | null;
  created_ms: number;
  expires_ms: number | null;
}

const COLUMNS = 'access_key_id, account_id, name, arn, sealed_secret, session_token_digest, created_ms, expires_ms';

function fromRow(r: Row): StoredCredential {
  return {
    accessKeyId: r.access_key_id,
    accountId: r.account_id,
    name: r.name,
    arn: r.arn,
    sealedSecret: Buffer.from(r.sealed_secret),
    sessionTokenDigest: r.session_token_digest ?? undefined,
    createdMs: Number(r.created_ms),
    expiresMs: r.expires_ms === null ? undefined : Number(r.expires_ms),
  };
}

/** CredentialStore over SQLite (`credentials`). */
export class SqliteCredentialStore implements Synchronous<CredentialStore> {
  readonly #q: Queries;

  constructor(db: Database) {
    this.#q = new Queries(db);
  }

  insert(c: StoredCredential): boolean {
    return this.#q.run(
      `INSERT INTO credentials (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (access_key_id) DO NOTHING`,
      c.accessKeyId, c.accountId, c.name, c.arn, c.sealedSecret, c.sessionTokenDigest ?? null, c.createdMs, c.expiresMs ?? null,
    );
  }

  get(accessKeyId: string): StoredCredential | undefined {
    const row = this.#q.get<Row>(`SELECT ${COLUMNS} FROM credentials WHERE access_key_id = ?`, accessKeyId);
    return row === undefined ? undefined : fromRow(row);
  }

  listUsers(): StoredCredential[] {
    return this.#q.all<Row>(`SELECT ${COLUMNS} FROM credentials WHERE session_token_digest IS NULL ORDER BY account_id, name, access_key_id`).map(fromRow);
  }

  delete(accessKeyId: string): boolean {
    return this.#q.run('DELETE FROM credentials WHERE access_key_id = ?', accessKeyId);
  }

  deleteExpired(nowMs: number): number {
    return this.#q.all<{ n: number }>('DELETE FROM credentials WHERE expires_ms IS NOT NULL AND expires_ms <= ? RETURNING 1 AS n', nowMs).length;
  }
}
