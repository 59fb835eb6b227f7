/**
 * The config change feed over LISTEN/NOTIFY. `publish` is `pg_notify` on the pool (one publish
 * at a time, so this process's changes arrive in publish order); a dedicated connection LISTENs
 * and hands every notification, this process's own included, to every subscriber. When that
 * connection drops it reconnects (backing off up to 2 s) and LISTENs again.
 */
import pg from 'pg';
import type { ChangeFeed, ConfigChange } from '../ports.ts';

const CHANNEL = 'flint_config_changes';
const MAX_BACKOFF_MS = 2_000;

export class PostgresChangeFeed implements ChangeFeed {
  readonly #pool: pg.Pool;
  readonly #config: pg.ClientConfig;
  readonly #listeners = new Set<(change: ConfigChange) => void>();
  #client: pg.Client | undefined;
  #publishing: Promise<unknown> = Promise.resolve();
  #closed = false;
  #retry: NodeJS.Timeout | undefined;

  private constructor(pool: pg.Pool, config: pg.ClientConfig) {
    this.#pool = pool;
    this.#config = config;
  }

  /** Opens the listening connection; resolves once it LISTENs (a change published after that is heard). */
  static async open(pool: pg.Pool, config: pg.ClientConfig): Promise<PostgresChangeFeed> {
    const feed = new PostgresChangeFeed(pool, config);
    await feed.#listen();
    return feed;
  }

  publish(change: ConfigChange): Promise<void> {
    const payload = JSON.stringify({ functionName: change.functionName, kind: change.kind, version: change.version });
    const sent = this.#publishing.then(() => this.#pool.query('SELECT pg_notify($1, $2)', [CHANNEL, payload]));
    this.#publishing = sent.catch(() => undefined);
    return sent.then(() => undefined);
  }

  subscribe(listener: (change: ConfigChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    await this.#publishing;
    await this.#client?.end().catch(() => undefined);
    this.#client = undefined;
  }

  async #listen(): Promise<void> {
    const client = new pg.Client(this.#config);
    client.on('notification', (n) => {
      if (n.channel === CHANNEL && n.payload !== undefined) this.#deliver(n.payload);
    });
    client.on('error', () => this.#lost(client));
    client.on('end', () => this.#lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.#closed) await client.end();
    else this.#client = client;
  }

  #deliver(payload: string): void {
    const change = JSON.parse(payload) as ConfigChange;
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch {
        // A failing subscriber must not keep the others from hearing the change.
      }
    }
  }

  /** The listening connection failed or ended: listen again on a new one (unless closed). */
  #lost(client: pg.Client): void {
    if (this.#closed || this.#client !== client) return;
    this.#client = undefined;
    client.end().catch(() => undefined);
    this.#reconnect(0);
  }

  #reconnect(attempt: number): void {
    if (this.#closed || this.#retry !== undefined) return;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      if (!this.#closed) this.#listen().catch(() => this.#reconnect(attempt + 1));
    }, Math.min(MAX_BACKOFF_MS, 50 * 2 ** attempt));
  }
}
