import type { FunctionUrlConfigRecord } from '../../model/index.ts';
import type { FunctionUrlConfigStore } from '../ports.ts';
import type { Database } from './database.ts';
import { Queries } from './queries.ts';
import type { Synchronous } from './synchronous-port.ts';
import { FUNCTION_URL_COLUMNS, functionUrlConfigFromRow, functionUrlConfigParams, type FunctionUrlConfigRow } from '../rows.ts';

/**
 * FunctionUrlConfigStore over SQLite: rows of `function_url_configs`. A function's rows go with it (the foreign key
 * cascades on DeleteFunction); an alias's row goes with the alias (SqliteAliasStore.delete).
 */
export class SqliteFunctionUrlStore implements Synchronous<FunctionUrlConfigStore> {
  readonly #q: Queries;

  constructor(db: Database) {
    this.#q = new Queries(db);
  }

  get(functionName: string, qualifier: string): FunctionUrlConfigRecord | undefined {
    const row = this.#q.get<FunctionUrlConfigRow>(`SELECT ${FUNCTION_URL_COLUMNS} FROM function_url_configs WHERE function_name = ? AND qualifier = ?`, functionName, qualifier);
    return row === undefined ? undefined : functionUrlConfigFromRow(row);
  }

  byUrlId(urlId: string): FunctionUrlConfigRecord | undefined {
    const row = this.#q.get<FunctionUrlConfigRow>(`SELECT ${FUNCTION_URL_COLUMNS} FROM function_url_configs WHERE url_id = ?`, urlId);
    return row === undefined ? undefined : functionUrlConfigFromRow(row);
  }

  list(functionName: string, afterQualifier: string | undefined, limit: number): FunctionUrlConfigRecord[] {
    return this.#q
      .all<FunctionUrlConfigRow>(`SELECT ${FUNCTION_URL_COLUMNS} FROM function_url_configs WHERE function_name = ? AND qualifier > ? ORDER BY qualifier LIMIT ?`, functionName, afterQualifier ?? '', limit)
      .map(functionUrlConfigFromRow);
  }

  insert(config: FunctionUrlConfigRecord): boolean {
    return this.#q.run(`INSERT INTO function_url_configs (${FUNCTION_URL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (function_name, qualifier) DO NOTHING`, ...functionUrlConfigParams(config));
  }

  update(config: FunctionUrlConfigRecord): boolean {
    return this.#q.run(
      'UPDATE function_url_configs SET auth_type = ?, cors = ?, invoke_mode = ?, last_modified_ms = ? WHERE function_name = ? AND qualifier = ?',
      config.authType, config.cors === undefined ? null : JSON.stringify(config.cors), config.invokeMode, config.lastModifiedMs, config.functionName, config.qualifier,
    );
  }

  delete(functionName: string, qualifier: string): boolean {
    return this.#q.run('DELETE FROM function_url_configs WHERE function_name = ? AND qualifier = ?', functionName, qualifier);
  }
}
