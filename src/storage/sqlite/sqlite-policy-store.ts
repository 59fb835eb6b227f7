/**
 * PolicyStore over SQLite (`function_policies`): one row per function (`$LATEST`), version or
 * alias, its statements as JSON text. Rows go with their function (ON DELETE CASCADE); a
 * version's or an alias's row goes with it (`deleteVersion`, the alias store's `delete`).
 */
import type { PolicyStatement, StoredPolicy } from '../../model/index.ts';
import type { PolicyStore } from '../ports.ts';
import type { Database } from './database.ts';
import { Queries } from './queries.ts';
import type { Synchronous } from './synchronous-port.ts';

export class SqlitePolicyStore implements Synchronous<PolicyStore> {
  readonly #q: Queries;

  constructor(db: Database) {
    this.#q = new Queries(db);
  }

  get(functionName: string, qualifier: string): StoredPolicy | undefined {
    const row = this.#q.get<{ statements: string }>('SELECT statements FROM function_policies WHERE function_name = ? AND qualifier = ?', functionName, qualifier);
    return row === undefined ? undefined : { functionName, qualifier, statements: JSON.parse(row.statements) as PolicyStatement[] };
  }

  put(functionName: string, qualifier: string, statements: readonly PolicyStatement[]): void {
    if (statements.length === 0) {
      this.delete(functionName, qualifier);
      return;
    }
    this.#q.run(
      `INSERT INTO function_policies (function_name, qualifier, statements) VALUES (?, ?, ?)
       ON CONFLICT (function_name, qualifier) DO UPDATE SET statements = excluded.statements`,
      functionName, qualifier, JSON.stringify(statements),
    );
  }

  delete(functionName: string, qualifier: string): boolean {
    return this.#q.run('DELETE FROM function_policies WHERE function_name = ? AND qualifier = ?', functionName, qualifier);
  }
}
