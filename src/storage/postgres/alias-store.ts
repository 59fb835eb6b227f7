/** Aliases (`function_aliases`); they go with their function, and an alias's provisioned concurrency config and policy go with it. */
import type { AliasRecord } from '../../model/index.ts';
import type { AliasStore } from '../ports.ts';
import type { Sql } from './sql.ts';
import { aliasFromRow, type AliasRow } from '../rows.ts';

const COLUMNS = 'function_name, name, function_version, description, additional_version, additional_weight, revision_id';

export class PostgresAliasStore implements AliasStore {
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  async get(functionName: string, name: string): Promise<AliasRecord | undefined> {
    const [row] = await this.#sql.rows<AliasRow>(`SELECT ${COLUMNS} FROM function_aliases WHERE function_name = $1 AND name = $2`, [functionName, name]);
    return row && aliasFromRow(row);
  }

  async list(functionName: string): Promise<AliasRecord[]> {
    return (await this.#sql.rows<AliasRow>(`SELECT ${COLUMNS} FROM function_aliases WHERE function_name = $1 ORDER BY name`, [functionName])).map(aliasFromRow);
  }

  async insert(alias: AliasRecord): Promise<boolean> {
    const inserted = await this.#sql.count(
      `INSERT INTO function_aliases (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (function_name, name) DO NOTHING`,
      [alias.functionName, alias.name, alias.functionVersion, alias.description, alias.additional?.version ?? null, alias.additional?.weight ?? null, alias.revisionId],
    );
    return inserted > 0;
  }

  async update(alias: AliasRecord): Promise<boolean> {
    const updated = await this.#sql.count(
      `UPDATE function_aliases SET function_version = $1, description = $2, additional_version = $3, additional_weight = $4, revision_id = $5
       WHERE function_name = $6 AND name = $7`,
      [alias.functionVersion, alias.description, alias.additional?.version ?? null, alias.additional?.weight ?? null, alias.revisionId, alias.functionName, alias.name],
    );
    return updated > 0;
  }

  delete(functionName: string, name: string): Promise<boolean> {
    return this.#sql.atomically(async (sql) => {
      await sql.count('DELETE FROM provisioned_concurrency WHERE function_name = $1 AND qualifier = $2', [functionName, name]);
      await sql.count('DELETE FROM function_url_configs WHERE function_name = $1 AND qualifier = $2', [functionName, name]);
      await sql.count('DELETE FROM function_policies WHERE function_name = $1 AND qualifier = $2', [functionName, name]);
      return (await sql.count('DELETE FROM function_aliases WHERE function_name = $1 AND name = $2', [functionName, name])) > 0;
    });
  }
}
