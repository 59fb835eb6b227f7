/** The PostgreSQL adapter: every storage port over one database, and a code store and a log store in it (no shared file system needed). */
export { openPostgresStorage } from './postgres-storage.ts';
export { PostgresCodeStore } from './postgres-code-store.ts';
export { PostgresLogStore } from './log-store.ts';
