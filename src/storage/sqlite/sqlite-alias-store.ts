/**
 * AliasStore over SQLite (`function_aliases`): one row per alias with its primary
 * version, its optional additional version and weight, and its RevisionId. Rows
 * go with their function (ON DELETE CASCADE); an alias's provisioned concurrency
 * config, its function URL config and its resource-based policy go with the alias (`delete`).
 */
import type { AliasRecord } from '../../model/index.ts';
import type { AliasStore } from '../ports.ts';
import type { Database } from './database.ts';
import { Queries } from './queries.ts';
import type { Synchronous } from './synchronous-port.ts';
import { aliasFromRow, type AliasRow } from '../rows.ts';

export class SqliteAliasStore implements Synchronous<AliasStore> {
  readonly #q: Queries;

  constructor(db: Database) {
    this.#q = new Queries(db);
  }

  get(functionName: string, name: string): AliasRecord | undefined {
    const row = this.#q.get<AliasRow>('SELECT * FROM function_aliases WHERE function_name = ? AND name = ?', functionName, name);
    return row && aliasFromRow(row);
  }

  /** The function's aliases by name. */
  list(functionName: string): AliasRecord[] {
    return this.#q.all<AliasRow>('SELECT * FROM function_aliases WHERE function_name = ? ORDER BY name', functionName).map(aliasFromRow);
  }

  /** Inserts a new alias. Returns false (writing nothing) when the name is taken. */
  insert(alias: AliasRecord): boolean {
    return this.#q.run(
      `INSERT INTO function_aliases (function_name, name, function_version, description, additional_version, additional_weight, revision_id)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (function_name, name) DO NOTHING`,
      alias.functionName, alias.name, alias.functionVersion, alias.description, alias.additional?.version ?? null, alias.additional?.weight ?? null, alias.revisionId,
    );
  }

  /** Replaces an existing alias. Returns false when it does not exist. */
  update(alias: AliasRecord): boolean {
    return this.#q.run(
      `UPDATE function_aliases SET function_version = ?, description = ?, additional_version = ?, additional_weight = ?, revision_id = ?
       WHERE function_name = ? AND name = ?`,
      alias.functionVersion, alias.description, alias.additional?.version ?? null, alias.additional?.weight ?? null, alias.revisionId, alias.functionName, alias.name,
    );
  }

  /** Deletes the alias, its provisioned concurrency config and its policy. Returns false when it did not exist. */
  delete(functionName: string, name: string): boolean {
    return this.#q.atomically(() => {
      this.#q.run('DELETE FROM provisioned_concurrency WHERE function_name = ? AND qualifier = ?', functionName, name);
      this.#q.run('DELETE FROM function_url_configs WHERE function_name = ? AND qualifier = ?', functionName, name);
      this.#q.run('DELETE FROM function_policies WHERE function_name = ? AND qualifier = ?', functionName, name);
      return this.#q.run('DELETE FROM function_aliases WHERE function_name = ? AND name = ?', functionName, name);
    });
  }
}
