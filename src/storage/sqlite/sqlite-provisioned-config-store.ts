/**
 * ProvisionedConfigStore over SQLite (`provisioned_concurrency`):
 * what was requested, per function and qualifier (a version number or an alias
 * name), and when, with the allocation state the reconciler reported.
 * Rows go with their function (ON DELETE CASCADE).
 */
import type { ProvisionedConfigRecord, ProvisionedState, StoredProvisionedConfig } from '../../model/index.ts';
import type { ProvisionedConfigStore } from '../ports.ts';
import type { Database } from './database.ts';
import { Queries } from './queries.ts';
import type { Synchronous } from './synchronous-port.ts';
import { provisionedConfigFromRow, type ProvisionedConfigRow } from '../rows.ts';

export class SqliteProvisionedConfigStore implements Synchronous<ProvisionedConfigStore> {
  readonly #q: Queries;

  constructor(db: Database) {
    this.#q = new Queries(db);
  }

  get(functionName: string, qualifier: string): StoredProvisionedConfig | undefined {
    const row = this.#q.get<ProvisionedConfigRow>('SELECT * FROM provisioned_concurrency WHERE function_name = ? AND qualifier = ?', functionName, qualifier);
    return row && provisionedConfigFromRow(row);
  }

  /** One function's configs by qualifier, or (no argument) every config. */
  list(functionName?: string): StoredProvisionedConfig[] {
    const rows = functionName === undefined
      ? this.#q.all<ProvisionedConfigRow>('SELECT * FROM provisioned_concurrency ORDER BY function_name, qualifier')
      : this.#q.all<ProvisionedConfigRow>('SELECT * FROM provisioned_concurrency WHERE function_name = ? ORDER BY qualifier', functionName);
    return rows.map(provisionedConfigFromRow);
  }

  put(record: ProvisionedConfigRecord): void {
    this.#q.run(
      `INSERT INTO provisioned_concurrency (function_name, qualifier, requested, last_modified_ms) VALUES (?, ?, ?, ?)
       ON CONFLICT (function_name, qualifier) DO UPDATE SET requested = excluded.requested, last_modified_ms = excluded.last_modified_ms,
         status = 'IN_PROGRESS', status_reason = NULL, available = 0`,
      record.functionName, record.qualifier, record.requested, record.lastModifiedMs,
    );
  }

  setState(functionName: string, qualifier: string, seenLastModifiedMs: number, state: ProvisionedState): boolean {
    return this.#q.run(
      'UPDATE provisioned_concurrency SET status = ?, status_reason = ?, available = ? WHERE function_name = ? AND qualifier = ? AND last_modified_ms = ?',
      state.status, state.statusReason ?? null, state.available, functionName, qualifier, seenLastModifiedMs,
    );
  }

  /** Returns false when there was no such config. */
  delete(functionName: string, qualifier: string): boolean {
    return this.#q.run('DELETE FROM provisioned_concurrency WHERE function_name = ? AND qualifier = ?', functionName, qualifier);
  }

  /** Sum of the function's requested provisioned concurrency. */
  total(functionName: string): number {
    return this.#q.get<{ n: number }>('SELECT COALESCE(SUM(requested), 0) AS n FROM provisioned_concurrency WHERE function_name = ?', functionName)!.n;
  }
}
