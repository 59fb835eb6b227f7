/**
 * LayerStore over PostgreSQL: `layers` (one row per name: the last version number handed out, so
 * numbers are never reused) and `layer_versions` (each version's record, its code key and its policy).
 */
import type { LayerVersionRecord, StoredLayerPolicy } from '../../model/index.ts';
import type { LayerStore } from '../ports.ts';
import type { Sql } from './sql.ts';

export class PostgresLayerStore implements LayerStore {
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  publish(record: Omit<LayerVersionRecord, 'version'>): Promise<LayerVersionRecord> {
    return this.#sql.atomically(async (sql) => {
      const [row] = await sql.rows<{ last_version: number }>(
        `INSERT INTO layers (name, last_version) VALUES ($1, 1)
         ON CONFLICT (name) DO UPDATE SET last_version = layers.last_version + 1 RETURNING last_version`,
        [record.layerName],
      );
      const stored: LayerVersionRecord = { ...record, version: row!.last_version };
      await sql.count(
        'INSERT INTO layer_versions (layer_name, version, record, code_sha256_hex) VALUES ($1, $2, $3, $4)',
        [record.layerName, stored.version, JSON.stringify(stored), record.codeSha256Hex],
      );
      return stored;
    });
  }

  async get(layerName: string, version: number): Promise<LayerVersionRecord | undefined> {
    const [row] = await this.#sql.rows<{ record: LayerVersionRecord }>('SELECT record FROM layer_versions WHERE layer_name = $1 AND version = $2', [layerName, version]);
    return row?.record;
  }

  async list(layerName?: string): Promise<LayerVersionRecord[]> {
    const rows = layerName === undefined
      ? await this.#sql.rows<{ record: LayerVersionRecord }>('SELECT record FROM layer_versions ORDER BY layer_name, version DESC')
      : await this.#sql.rows<{ record: LayerVersionRecord }>('SELECT record FROM layer_versions WHERE layer_name = $1 ORDER BY version DESC', [layerName]);
    return rows.map((r) => r.record);
  }

  async delete(layerName: string, version: number): Promise<string | undefined> {
    const [row] = await this.#sql.rows<{ code_sha256_hex: string }>(
      'DELETE FROM layer_versions WHERE layer_name = $1 AND version = $2 RETURNING code_sha256_hex', [layerName, version],
    );
    return row?.code_sha256_hex;
  }

  async isCodeReferenced(sha256Hex: string): Promise<boolean> {
    return (await this.#sql.rows('SELECT 1 FROM layer_versions WHERE code_sha256_hex = $1 LIMIT 1', [sha256Hex])).length > 0;
  }

  async getPolicy(layerName: string, version: number): Promise<StoredLayerPolicy | undefined> {
    const [row] = await this.#sql.rows<{ policy: StoredLayerPolicy | null }>('SELECT policy FROM layer_versions WHERE layer_name = $1 AND version = $2', [layerName, version]);
    return row?.policy ?? undefined;
  }

  updatePolicy(layerName: string, version: number, change: (current: StoredLayerPolicy | undefined) => StoredLayerPolicy): Promise<boolean> {
    return this.#sql.atomically(async (sql) => {
      const [row] = await sql.rows<{ policy: StoredLayerPolicy | null }>(
        'SELECT policy FROM layer_versions WHERE layer_name = $1 AND version = $2 FOR UPDATE', [layerName, version],
      );
      if (row === undefined) return false;
      const next = change(row.policy ?? undefined);
      const text = next.statements.length === 0 ? null : JSON.stringify(next);
      await sql.count('UPDATE layer_versions SET policy = $1 WHERE layer_name = $2 AND version = $3', [text, layerName, version]);
      return true;
    });
  }
}
