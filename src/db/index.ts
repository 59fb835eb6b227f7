/** The embedded metadata database (node:sqlite, WAL), its versioned migrations, and the helpers repositories share. */
export { openDatabase, transaction, type Database } from './database.ts';
export { MIGRATIONS, type Migration } from './migrations.ts';
export { Queries, atomically, statement } from './queries.ts';
