/** The SQLite adapter of the storage ports (the only folder that imports node:sqlite). */
export { openSqliteStorage, type SqliteStorageOptions } from './sqlite-storage.ts';
export { MIGRATIONS, type Migration } from './migrations.ts';
