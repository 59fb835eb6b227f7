/**
 * The code store in the PostgreSQL database (`code_blobs`), so that the front ends of a cluster
 * share deployment packages without a shared file system. Each row holds a blob sealed exactly as
 * the file store seals it (code-store's blob cipher: AES-256-GCM under a key derived from the
 * master key the caller passes), so the database never holds a package in the clear.
 */
import type pg from 'pg';
import {
  CodeNotFoundError,
  deriveDataKey,
  holdsIntact,
  isSha256Hex,
  openBlob,
  sealBlob,
  sha256,
  type CodeStore,
  type StoredCode,
} from '../../code-store/index.ts';
import { openMigratedPool } from './migrations.ts';


export class PostgresCodeStore implements CodeStore {
  readonly #pool: pg.Pool;
  readonly #dataKey: Buffer;

  private constructor(pool: pg.Pool, dataKey: Buffer) {
    this.#pool = pool;
    this.#dataKey = dataKey;
  }

  /** Opens (and migrates) the database at `url`. Pre: `masterKey` is 32 bytes, the same on every front end. */
  static async open(url: string, masterKey: Buffer): Promise<PostgresCodeStore> {
    return new PostgresCodeStore(await openMigratedPool(url, 'flint code store', 4), deriveDataKey(masterKey));
  }

  async put(zip: Buffer): Promise<StoredCode> {
    const digest = sha256(zip);
    const stored: StoredCode = { sha256Hex: digest.toString('hex'), sha256Base64: digest.toString('base64'), size: zip.length };
    if (await holdsIntact(this, stored.sha256Hex)) return stored;
    await this.#pool.query(
      'INSERT INTO code_blobs (sha256_hex, size, sealed) VALUES ($1, $2, $3) ON CONFLICT (sha256_hex) DO UPDATE SET size = excluded.size, sealed = excluded.sealed',
      [stored.sha256Hex, stored.size, sealBlob(this.#dataKey, digest, zip)],
    );
    return stored;
  }

  async get(sha256Hex: string): Promise<Buffer> {
    if (!isSha256Hex(sha256Hex)) throw new CodeNotFoundError(sha256Hex);
    const { rows } = await this.#pool.query<{ sealed: Buffer }>('SELECT sealed FROM code_blobs WHERE sha256_hex = $1', [sha256Hex]);
    if (rows[0] === undefined) throw new CodeNotFoundError(sha256Hex);
    return openBlob(this.#dataKey, sha256Hex, rows[0].sealed);
  }

  async has(sha256Hex: string): Promise<boolean> {
    if (!isSha256Hex(sha256Hex)) return false;
    return ((await this.#pool.query('SELECT 1 FROM code_blobs WHERE sha256_hex = $1', [sha256Hex])).rowCount ?? 0) > 0;
  }

  async delete(sha256Hex: string): Promise<void> {
    if (!isSha256Hex(sha256Hex)) return;
    await this.#pool.query('DELETE FROM code_blobs WHERE sha256_hex = $1', [sha256Hex]);
  }

  async totalSize(): Promise<number> {
    const { rows } = await this.#pool.query<{ total: number }>('SELECT COALESCE(SUM(size), 0) AS total FROM code_blobs');
    return rows[0]?.total ?? 0;
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}
