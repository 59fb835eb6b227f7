/**
 * Storage: the ports every durable store and queue of Flint is reached through (ports.ts),
 * and the adapters that implement them (SQLite embedded, PostgreSQL for a cluster).
 */
export type * from './ports.ts';
export { openSqliteStorage, type SqliteStorageOptions } from './sqlite/index.ts';
