/** Access keys (`credentials`): users' and execution-role sessions', secrets sealed with the master key. */
import type { CredentialStore, StoredCredential } from '../ports.ts';
import type { Sql } from './sql.ts';

interface Row {
  access_key_id: string;
  account_id: string;
  name: string;
  arn: string;
  sealed_secret: Buffer;
  session_token_digest: string | null;
  created_ms: number | string;
  expires_ms: number | string | null;
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

export class PostgresCredentialStore implements CredentialStore {
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  async insert(c: StoredCredential): Promise<boolean> {
    const n = await this.#sql.count(
      `INSERT INTO credentials (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (access_key_id) DO NOTHING`,
      [c.accessKeyId, c.accountId, c.name, c.arn, c.sealedSecret, c.sessionTokenDigest ?? null, c.createdMs, c.expiresMs ?? null],
    );
    return n > 0;
  }

  async get(accessKeyId: string): Promise<StoredCredential | undefined> {
    const [row] = await this.#sql.rows<Row>(`SELECT ${COLUMNS} FROM credentials WHERE access_key_id = $1`, [accessKeyId]);
    return row === undefined ? undefined : fromRow(row);
  }

  async listUsers(): Promise<StoredCredential[]> {
    return (await this.#sql.rows<Row>(`SELECT ${COLUMNS} FROM credentials WHERE session_token_digest IS NULL ORDER BY account_id, name, access_key_id`)).map(fromRow);
  }

  async delete(accessKeyId: string): Promise<boolean> {
    return (await this.#sql.count('DELETE FROM credentials WHERE access_key_id = $1', [accessKeyId])) > 0;
  }

  deleteExpired(nowMs: number): Promise<number> {
    return this.#sql.count('DELETE FROM credentials WHERE expires_ms IS NOT NULL AND expires_ms <= $1', [nowMs]);
  }
}
