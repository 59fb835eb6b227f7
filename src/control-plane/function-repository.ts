/**
 * Persistence of functions over the embedded database. A function is one row in
 * `functions` (function-level settings: tags, reserved concurrency, the last
 * version number handed out) plus one row per version in `function_versions`:
 * `$LATEST` (mutable) and published numbered versions (immutable snapshots, with
 * the digest of the `$LATEST` they were taken from), each holding a
 * FunctionVersionConfig as JSON. Every multi-row change is one transaction, so a
 * crash never leaves a function without its `$LATEST` row. Aliases and
 * provisioned concurrency configs live in their own tables (and repositories)
 * and go with the function (ON DELETE CASCADE).
 */
import { transaction, type Database } from '../db/index.ts';
import type { FunctionVersionConfig } from '../model/index.ts';

export interface FunctionRecord {
  readonly name: string;
  readonly createdMs: number;
  readonly tags: Readonly<Record<string, string>>;
  readonly reservedConcurrency: number | undefined;
}

/** Position after which a listing continues: a function name and, for all-versions listings, a version. */
export interface ListCursor {
  readonly name: string;
  readonly version: string;
}

export interface AccountUsage {
  readonly functionCount: number;
  /** Sum of the package sizes of every version (Lambda counts each version). */
  readonly totalCodeSize: number;
  /** Sum of reserved concurrency over all functions. */
  readonly reservedConcurrency: number;
}

/** The newest published version and the digest of the `$LATEST` it was taken from. */
export interface PublishedRef {
  readonly version: string;
  readonly sourceDigest: string | null;
}

interface FunctionRow { name: string; created_ms: number; tags: string; reserved_concurrency: number | null }
interface VersionRow { config: string }

/** `$LATEST` sorts before numbered versions, which sort numerically. */
const VERSION_ORDER = "CASE WHEN version = '$LATEST' THEN -1 ELSE CAST(version AS INTEGER) END";

export class FunctionRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Inserts the function and its `$LATEST` row atomically. Returns false (writing nothing) when the name is taken. */
  insertFunction(record: FunctionRecord, latest: FunctionVersionConfig): boolean {
    return atomically(this.#db, () => {
      const inserted = this.#db
        .prepare('INSERT INTO functions (name, created_ms, tags, reserved_concurrency) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING')
        .run(record.name, record.createdMs, JSON.stringify(record.tags), record.reservedConcurrency ?? null);
      if (inserted.changes === 0) return false;
      this.insertVersion(latest);
      return true;
    });
  }

  /** Adds a version row; a published one records the digest of its source. Throws if it exists. */
  insertVersion(config: FunctionVersionConfig, sourceDigest?: string): void {
    this.#db
      .prepare('INSERT INTO function_versions (function_name, version, config, source_digest) VALUES (?, ?, ?, ?)')
      .run(config.functionName, config.version, JSON.stringify(config), sourceDigest ?? null);
  }

  /** Runs `fn` in one transaction, or inside the caller's when one is open. */
  atomically<T>(fn: () => T): T {
    return atomically(this.#db, fn);
  }

  /** The newest published version, if any. */
  lastPublished(name: string): PublishedRef | undefined {
    const row = this.#db
      .prepare("SELECT version, source_digest FROM function_versions WHERE function_name = ? AND version <> '$LATEST' ORDER BY CAST(version AS INTEGER) DESC LIMIT 1")
      .get(name) as { version: string; source_digest: string | null } | undefined;
    return row && { version: row.version, sourceDigest: row.source_digest };
  }

  /** Hands out the function's next version number (never reused, even after deletions). Undefined when the function is absent. */
  takeVersionNumber(name: string): number | undefined {
    const row = this.#db.prepare('UPDATE functions SET last_version = last_version + 1 WHERE name = ? RETURNING last_version').get(name) as
      | { last_version: number }
      | undefined;
    return row?.last_version;
  }

  /** Deletes one published version. Returns its code key (to release), or undefined when it did not exist. */
  deleteVersion(name: string, version: string): string | undefined {
    return atomically(this.#db, () => {
      const config = this.getVersion(name, version);
      if (config === undefined) return undefined;
      this.#db.prepare('DELETE FROM function_versions WHERE function_name = ? AND version = ?').run(name, version);
      return config.codeSha256Hex;
    });
  }

  /** Sets or (undefined) clears the function's reserved concurrency. Returns false when the function does not exist. */
  setReservedConcurrency(name: string, reserved: number | undefined): boolean {
    return this.#db.prepare('UPDATE functions SET reserved_concurrency = ? WHERE name = ?').run(reserved ?? null, name).changes > 0;
  }

  /** Every function's reserved concurrency (to load into the counting service at start). */
  reservations(): Array<{ readonly name: string; readonly reserved: number }> {
    const rows = this.#db.prepare('SELECT name, reserved_concurrency AS reserved FROM functions WHERE reserved_concurrency IS NOT NULL').all();
    return (rows as unknown as Array<{ name: string; reserved: number }>).map((r) => ({ name: r.name, reserved: r.reserved }));
  }

  getFunction(name: string): FunctionRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM functions WHERE name = ?').get(name) as FunctionRow | undefined;
    return row && toRecord(row);
  }

  getVersion(name: string, version: string): FunctionVersionConfig | undefined {
    const row = this.#db.prepare('SELECT config FROM function_versions WHERE function_name = ? AND version = ?').get(name, version) as VersionRow | undefined;
    return row && parseConfig(row);
  }

  /** Every version of one function, `$LATEST` first. */
  listVersions(name: string): FunctionVersionConfig[] {
    const rows = this.#db.prepare(`SELECT config FROM function_versions WHERE function_name = ? ORDER BY ${VERSION_ORDER}`).all(name) as unknown as VersionRow[];
    return rows.map(parseConfig);
  }

  /**
   * Reads a version and writes what `change` returns, in one transaction. `change`
   * may throw (the transaction rolls back) or return its argument (nothing is
   * written). Returns the stored result, or undefined when the row does not exist.
   */
  updateVersion(name: string, version: string, change: (current: FunctionVersionConfig) => FunctionVersionConfig): FunctionVersionConfig | undefined {
    return atomically(this.#db, () => {
      const current = this.getVersion(name, version);
      if (current === undefined) return undefined;
      const next = change(current);
      if (next === current) return current;
      this.#db.prepare('UPDATE function_versions SET config = ? WHERE function_name = ? AND version = ?').run(JSON.stringify(next), name, version);
      return next;
    });
  }

  /** Functions (their `$LATEST`, or every version) in a stable order, after `cursor`. */
  list(options: { readonly after?: ListCursor | undefined; readonly limit: number; readonly allVersions: boolean }): FunctionVersionConfig[] {
    const { after, limit, allVersions } = options;
    const filter = allVersions ? '1 = 1' : "version = '$LATEST'";
    const sql = after === undefined
      ? `SELECT config FROM function_versions WHERE ${filter} ORDER BY function_name, ${VERSION_ORDER} LIMIT ?`
      : `SELECT config FROM function_versions WHERE ${filter} AND (function_name > ? OR (function_name = ? AND ${VERSION_ORDER} > (${versionOrderOf('?')})))
         ORDER BY function_name, ${VERSION_ORDER} LIMIT ?`;
    const params = after === undefined ? [limit] : [after.name, after.name, after.version, after.version, limit];
    return (this.#db.prepare(sql).all(...params) as unknown as VersionRow[]).map(parseConfig);
  }

  /** Deletes the function with all its versions. Returns the code keys its versions used (to release), or undefined if absent. */
  deleteFunction(name: string): string[] | undefined {
    return atomically(this.#db, () => {
      const shas = this.listVersions(name).map((c) => c.codeSha256Hex);
      const deleted = this.#db.prepare('DELETE FROM functions WHERE name = ?').run(name);
      return deleted.changes === 0 ? undefined : [...new Set(shas)];
    });
  }

  /** Replaces the tag map. Returns false when the function does not exist. */
  setTags(name: string, tags: Readonly<Record<string, string>>): boolean {
    return this.#db.prepare('UPDATE functions SET tags = ? WHERE name = ?').run(JSON.stringify(tags), name).changes > 0;
  }

  /** Whether any version still uses the package (the one place that knows every reference to a code blob). */
  isCodeReferenced(sha256Hex: string): boolean {
    const row = this.#db.prepare("SELECT 1 AS used FROM function_versions WHERE json_extract(config, '$.codeSha256Hex') = ? LIMIT 1").get(sha256Hex);
    return row !== undefined;
  }

  /** Versions whose State / LastUpdateStatus is transient (to settle after a restart). */
  unsettledVersions(): Array<{ readonly name: string; readonly version: string }> {
    const rows = this.#db
      .prepare("SELECT function_name AS name, version FROM function_versions WHERE json_extract(config, '$.state') = 'Pending' OR json_extract(config, '$.lastUpdateStatus') = 'InProgress'")
      .all() as unknown as Array<{ name: string; version: string }>;
    return rows.map((r) => ({ name: r.name, version: r.version }));
  }

  usage(): AccountUsage {
    const fns = this.#db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(reserved_concurrency), 0) AS reserved FROM functions').get() as { n: number; reserved: number };
    const code = this.#db.prepare("SELECT COALESCE(SUM(json_extract(config, '$.codeSize')), 0) AS size FROM function_versions").get() as { size: number };
    return { functionCount: fns.n, totalCodeSize: code.size, reservedConcurrency: fns.reserved };
  }
}

/** One transaction, or the caller's when one is already open (repositories compose inside one another's). */
export function atomically<T>(db: Database, fn: () => T): T {
  return db.isTransaction ? fn() : transaction(db, fn);
}

function versionOrderOf(param: string): string {
  return `CASE WHEN ${param} = '$LATEST' THEN -1 ELSE CAST(${param} AS INTEGER) END`;
}

function toRecord(row: FunctionRow): FunctionRecord {
  return {
    name: row.name,
    createdMs: row.created_ms,
    tags: JSON.parse(row.tags) as Record<string, string>,
    reservedConcurrency: row.reserved_concurrency ?? undefined,
  };
}

function parseConfig(row: VersionRow): FunctionVersionConfig {
  return JSON.parse(row.config) as FunctionVersionConfig;
}
