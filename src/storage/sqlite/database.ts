import { DatabaseSync } from 'node:sqlite';
import { MIGRATIONS, type Migration } from './migrations.ts';

export type Database = DatabaseSync;

/**
 * Opens (creating if needed) the embedded database in WAL mode and brings its
 * schema up to date. Each migration commits atomically with its version row, so a
 * crash mid-migration leaves the previous version intact.
 */
export function openDatabase(path: string, migrations: readonly Migration[] = MIGRATIONS): Database {
  const db = new DatabaseSync(path);
  // secure_delete: a row rewritten or deleted leaves no old bytes in a freed page (environment variables written in the clear by an older Flint)
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA secure_delete = ON;');
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_ms INTEGER NOT NULL) STRICT');
  const row = db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as { v: number };
  for (const m of migrations) {
    if (m.version <= row.v) continue;
    transaction(db, () => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_ms) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
    });
  }
  return db;
}

/** Runs `fn` in one IMMEDIATE transaction: all of it commits, or none of it. */
export function transaction<T>(db: Database, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (err) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw err;
  }
}
