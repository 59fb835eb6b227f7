/**
 * The scaffolding every SQLite store shares: prepared statements kept per database, typed rows,
 * "did a row change", and atomic blocks that nest (a savepoint inside an open transaction).
 */
import type { SQLInputValue, StatementSync } from 'node:sqlite';
import { transaction, type Database } from './database.ts';

const STATEMENTS = new WeakMap<Database, Map<string, StatementSync>>();

/** A prepared statement of this database, kept for reuse (repositories and pollers run the same few all the time). */
export function statement(db: Database, sql: string): StatementSync {
  let cache = STATEMENTS.get(db);
  if (cache === undefined) STATEMENTS.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (stmt === undefined) cache.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}

let savepoints = 0;

/**
 * Runs `fn` atomically: in one transaction, or (inside an open one) under a savepoint, so a method
 * that throws halfway leaves nothing behind even when the caller's transaction goes on.
 */
export function atomically<T>(db: Database, fn: () => T): T {
  if (!db.isTransaction) return transaction(db, fn);
  const name = `flint_${++savepoints}`;
  db.exec(`SAVEPOINT ${name}`);
  try {
    const result = fn();
    db.exec(`RELEASE ${name}`);
    return result;
  } catch (err) {
    db.exec(`ROLLBACK TO ${name}`);
    db.exec(`RELEASE ${name}`);
    throw err;
  }
}

/** One store's access to the database. `Row` types describe columns as SQLite returns them. */
export class Queries {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** The first row the query returns, or undefined. */
  get<Row>(sql: string, ...params: SQLInputValue[]): Row | undefined {
    return statement(this.#db, sql).get(...params) as Row | undefined;
  }

  /** Every row the query returns. */
  all<Row>(sql: string, ...params: SQLInputValue[]): Row[] {
    return statement(this.#db, sql).all(...params) as unknown as Row[];
  }

  /** Runs a write; true when it changed at least one row. */
  run(sql: string, ...params: SQLInputValue[]): boolean {
    return Number(statement(this.#db, sql).run(...params).changes) > 0;
  }

  /** Runs `fn` atomically (see `atomically`). */
  atomically<T>(fn: () => T): T {
    return atomically(this.#db, fn);
  }
}
