import type { ClusterSecretStore } from '../ports.ts';
import type { Database } from './database.ts';
import { Queries } from './queries.ts';
import type { Synchronous } from './synchronous-port.ts';

/** ClusterSecretStore over SQLite (`cluster_secrets`): the first writer wins. */
export class SqliteClusterSecretStore implements Synchronous<ClusterSecretStore> {
  readonly #q: Queries;

  constructor(db: Database) {
    this.#q = new Queries(db);
  }

  getOrCreate(name: string, candidate: Buffer): Buffer {
    this.#q.run('INSERT INTO cluster_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING', name, candidate);
    const row = this.#q.get<{ value: Uint8Array }>('SELECT value FROM cluster_secrets WHERE name = ?', name);
    return Buffer.from(row!.value);
  }
}
