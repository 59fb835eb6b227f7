/**
 * LayerStore over SQLite: `layers` (one row per name: the last version number handed out, so
 * numbers are never reused) and `layer_versions` (each version's record as JSON, its code key,
 * and its policy as JSON).
 */
import type { LayerVersionRecord, StoredLayerPolicy } from '../../model/index.ts';
import type { LayerStore } from '../ports.ts';
import type { Database } from './database.ts';
import { Queries } from './queries.ts';
import type { Synchronous } from './synchronous-port.ts';

interface RecordRow { record: string }

export class SqliteLayerStore implements Synchronous<LayerStore> {
  readonly #q: Queries;

  constructor(db: Database) {
    this.#q = new Queries(db);
  }

  publish(record: Omit<LayerVersionRecord, 'version'>): LayerVersionRecord {
    return this.#q.atomically(() => {
      this.#q.run('INSERT INTO layers (name) VALUES (?) ON CONFLICT (name) DO NOTHING', record.layerName);
      const { last_version: version } = this.#q.get<{ last_version: number }>(
        'UPDATE layers SET last_version = last_version + 1 WHERE name = ? RETURNING last_version', record.layerName,
      )!;
      const stored: LayerVersionRecord = { ...record, version };
      this.#q.run(
        'INSERT INTO layer_versions (layer_name, version, record, code_sha256_hex) VALUES (?, ?, ?, ?)',
        record.layerName, version, JSON.stringify(stored), record.codeSha256Hex,
      );
      return stored;
    });
  }

  get(layerName: string, version: number): LayerVersionRecord | undefined {
    const row = this.#q.get<RecordRow>('SELECT record FROM layer_versions WHERE layer_name = ? AND version = ?', layerName, version);
    return row && parse(row);
  }

  list(layerName?: string): LayerVersionRecord[] {
    const rows = layerName === undefined
      ? this.#q.all<RecordRow>('SELECT record FROM layer_versions ORDER BY layer_name, version DESC')
      : this.#q.all<RecordRow>('SELECT record FROM layer_versions WHERE layer_name = ? ORDER BY version DESC', layerName);
    return rows.map(parse);
  }

  delete(layerName: string, version: number): string | undefined {
    return this.#q.get<{ code_sha256_hex: string }>(
      'DELETE FROM layer_versions WHERE layer_name = ? AND version = ? RETURNING code_sha256_hex', layerName, version,
    )?.code_sha256_hex;
  }

  isCodeReferenced(sha256Hex: string): boolean {
    return this.#q.get('SELECT 1 AS used FROM layer_versions WHERE code_sha256_hex = ? LIMIT 1', sha256Hex) !== undefined;
  }

  getPolicy(layerName: string, version: number): StoredLayerPolicy | undefined {
    const row = this.#q.get<{ policy: string | null }>('SELECT policy FROM layer_versions WHERE layer_name = ? AND version = ?', layerName, version);
    return row?.policy == null ? undefined : (JSON.parse(row.policy) as StoredLayerPolicy);
  }

  updatePolicy(layerName: string, version: number, change: (current: StoredLayerPolicy | undefined) => StoredLayerPolicy): boolean {
    return this.#q.atomically(() => {
      const row = this.#q.get<{ policy: string | null }>('SELECT policy FROM layer_versions WHERE layer_name = ? AND version = ?', layerName, version);
      if (row === undefined) return false;
      const next = change(row.policy === null ? undefined : (JSON.parse(row.policy) as StoredLayerPolicy));
      const text = next.statements.length === 0 ? null : JSON.stringify(next);
      this.#q.run('UPDATE layer_versions SET policy = ? WHERE layer_name = ? AND version = ?', text, layerName, version);
      return true;
    });
  }
}

function parse(row: RecordRow): LayerVersionRecord {
  return JSON.parse(row.record) as LayerVersionRecord;
}
