/**
 * How the PostgreSQL stores reach the database: a `Sql` is either the pool (each method
 * that writes several statements opens its own transaction) or one client inside a
 * `Storage.transaction` (every method joins it). Bigints and numerics come back as numbers
 * (ids, milliseconds and sums all fit in 2^53).
 */
import pg from 'pg';

export type Params = readonly unknown[];

export interface Sql {
  /** The rows of one statement. */
  rows<R>(text: string, params?: Params): Promise<R[]>;
  /** Rows a statement changed. */
  count(text: string, params?: Params): Promise<number>;
  /** Runs `fn` in one transaction: a new one on the pool, the open one inside a transaction. */
  atomically<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  /** Runs read-only `fn` on one snapshot of the database (several reads that must agree). */
  consistently<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
}

const NUMERIC_OIDS = new Set([20, 1700]); // int8, numeric

/** Per-pool type parsers (never the driver's global ones). */
export const TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): unknown {
    if (NUMERIC_OIDS.has(oid) && format !== 'binary') return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

async function query<R>(on: pg.Pool | pg.PoolClient, text: string, params: Params): Promise<pg.QueryResult & { rows: R[] }> {
  return on.query(text, params as unknown[]) as Promise<pg.QueryResult & { rows: R[] }>;
}

/**
 * Runs `fn` inside BEGIN/COMMIT on a client of `pool`, rolling back (and rejecting with its
 * error) when it rejects. A client whose rollback failed is discarded, not reused.
 */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(begin);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((rollbackErr: unknown) => {
      broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
    });
    throw err;
  } finally {
    client.release(broken);
  }
}

export class PoolSql implements Sql {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async rows<R>(text: string, params: Params = []): Promise<R[]> {
    return (await query<R>(this.#pool, text, params)).rows;
  }

  async count(text: string, params: Params = []): Promise<number> {
    return (await query(this.#pool, text, params)).rowCount ?? 0;
  }

  atomically<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    return inTransaction(this.#pool, (client) => fn(new TransactionSql(client)));
  }

  consistently<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    return inTransaction(this.#pool, (client) => fn(new TransactionSql(client)), 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }
}

/** One client inside an open transaction. */
export class TransactionSql implements Sql {
  readonly #client: pg.PoolClient;

  constructor(client: pg.PoolClient) {
    this.#client = client;
  }

  async rows<R>(text: string, params: Params = []): Promise<R[]> {
    return (await query<R>(this.#client, text, params)).rows;
  }

  async count(text: string, params: Params = []): Promise<number> {
    return (await query(this.#client, text, params)).rowCount ?? 0;
  }

  atomically<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    return fn(this);
  }

  /** Inside a transaction the reads see what it sees (READ COMMITTED: each statement its own snapshot). */
  consistently<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    return fn(this);
  }
}

/** The one row of a statement that always returns one (aggregates). */
export async function one<R>(sql: Sql, text: string, params: Params = []): Promise<R> {
  const [row] = await sql.rows<R>(text, params);
  if (row === undefined) throw new Error(`expected a row from: ${text}`);
  return row;
}
