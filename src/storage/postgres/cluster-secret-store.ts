/** Secrets every front end holds alike (`cluster_secrets`): the first writer wins. */
import type { ClusterSecretStore } from '../ports.ts';
import type { Sql } from './sql.ts';

export class PostgresClusterSecretStore implements ClusterSecretStore {
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  async getOrCreate(name: string, candidate: Buffer): Promise<Buffer> {
    await this.#sql.count('INSERT INTO cluster_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, candidate]);
    const [row] = await this.#sql.rows<{ value: Buffer }>('SELECT value FROM cluster_secrets WHERE name = $1', [name]);
    return row!.value;
  }
}
