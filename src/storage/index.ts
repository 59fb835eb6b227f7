/**
 * Storage: the ports every durable store and queue of Flint is reached through (ports.ts),
 * and the adapters that implement them (SQLite embedded, PostgreSQL for a cluster); the log store's
 * embedded adapter keeps files (file/).
 */
export type * from './ports.ts';
export { FileLogStore } from './file/log-store.ts';
export { openPostgresStorage, PostgresCodeStore, PostgresLogStore } from './postgres/index.ts';
export { openSqliteStorage, type SqliteStorageOptions } from './sqlite/index.ts';
export { sealingEnvironments } from './sealing/sealed-storage.ts';
