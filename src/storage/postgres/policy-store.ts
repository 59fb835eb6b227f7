/**
 * Resource-based policies (`function_policies`), one row per function (`$LATEST`), version or
 * alias; they go with their function (ON DELETE CASCADE), and with their version or alias.
 */
import type { PolicyStatement, StoredPolicy } from '../../model/index.ts';
import type { PolicyStore } from '../ports.ts';
import type { Sql } from './sql.ts';

export class PostgresPolicyStore implements PolicyStore {
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  async get(functionName: string, qualifier: string): Promise<StoredPolicy | undefined> {
    const [row] = await this.#sql.rows<{ statements: PolicyStatement[] }>('SELECT statements FROM function_policies WHERE function_name = $1 AND qualifier = $2', [functionName, qualifier]);
    return row && { functionName, qualifier, statements: row.statements };
  }

  async put(functionName: string, qualifier: string, statements: readonly PolicyStatement[]): Promise<void> {
    if (statements.length === 0) {
      await this.delete(functionName, qualifier);
      return;
    }
    await this.#sql.count(
      `INSERT INTO function_policies (function_name, qualifier, statements) VALUES ($1, $2, $3)
       ON CONFLICT (function_name, qualifier) DO UPDATE SET statements = excluded.statements`,
      [functionName, qualifier, JSON.stringify(statements)],
    );
  }

  async delete(functionName: string, qualifier: string): Promise<boolean> {
    return (await this.#sql.count('DELETE FROM function_policies WHERE function_name = $1 AND qualifier = $2', [functionName, qualifier])) > 0;
  }
}
