/** The embedded metadata database (node:sqlite, WAL) and its versioned migrations. */
export { openDatabase, transaction, type Database } from './database.ts';
export { MIGRATIONS, type Migration } from './migrations.ts';
