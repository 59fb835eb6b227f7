/**
 * FunctionStore over SQLite. A function is one row in
 * `functions` (function-level settings: tags, reserved concurrency, the last
 * version number handed out) plus one row per version in `function_versions`:
 * `$LATEST` (mutable) and published numbered versions (immutable snapshots, with
 * the digest of the `$LATEST` they were taken from), each holding a
 * FunctionVersionConfig as JSON. Every multi-row change is one transaction, so a
 * crash never leaves a function without its `$LATEST` row. Aliases and
 * provisioned concurrency configs live in their own tables (and stores)
 * and go with the function (ON DELETE CASCADE).
 */
import type { AccountUsage, FunctionRecord, FunctionVersionConfig, ListCursor, PublishedRef } from '../../model/index.ts';
import type { FunctionStore } from '../ports.ts';
import type { Database } from './database.ts';
import { Queries } from './queries.ts';
import type { Synchronous } from './synchronous-port.ts';

interface FunctionRow { name: string; created_ms: number; tags: string; reserved_concurrency: number | null }
interface VersionRow { config: string }

/** `$LATEST` sorts before numbered versions, which sort numerically. */
const VERSION_ORDER = "CASE WHEN version = '$LATEST' THEN -1 ELSE CAST(version AS INTEGER) END";

export class SqliteFunctionStore implements Synchronous<FunctionStore> {
  readonly #q: Queries;

  constructor(db: Database) {
    this.#q = new Queries(db);
  }

  /** Inserts the function and its `$LATEST` row atomically. Returns false (writing nothing) when the name is taken. */
  insertFunction(record: FunctionRecord, latest: FunctionVersionConfig): boolean {
    return this.#q.atomically(() => {
      const inserted = this.#q.run(
        'INSERT INTO functions (name, created_ms, tags, reserved_concurrency) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING',
        record.name, record.createdMs, JSON.stringify(record.tags), record.reservedConcurrency ?? null,
      );
      if (!inserted) return false;
      this.insertVersion(latest);
      return true;
    });
  }

  /** Adds a version row; a published one records the digest of its source. Throws if it exists. */
  insertVersion(config: FunctionVersionConfig, sourceDigest?: string): void {
    this.#q.run(
      'INSERT INTO function_versions (function_name, version, config, source_digest) VALUES (?, ?, ?, ?)',
      config.functionName, config.version, JSON.stringify(config), sourceDigest ?? null,
    );
  }

  /** The newest published version, if any. */
  lastPublished(name: string): PublishedRef | undefined {
    const row = this.#q.get<{ version: string; source_digest: string | null }>(
      "SELECT version, source_digest FROM function_versions WHERE function_name = ? AND version <> '$LATEST' ORDER BY CAST(version AS INTEGER) DESC LIMIT 1",
      name,
    );
    return row && { version: row.version, sourceDigest: row.source_digest };
  }

  /** Hands out the function's next version number (never reused, even after deletions). Undefined when the function is absent. */
  takeVersionNumber(name: string): number | undefined {
    return this.#q.get<{ last_version: number }>('UPDATE functions SET last_version = last_version + 1 WHERE name = ? RETURNING last_version', name)?.last_version;
  }

  /** Deletes one published version with its policy. Returns its code key (to release), or undefined when it did not exist. */
  deleteVersion(name: string, version: string): string | undefined {
    return this.#q.atomically(() => {
      const config = this.getVersion(name, version);
      if (config === undefined) return undefined;
      this.#q.run('DELETE FROM function_versions WHERE function_name = ? AND version = ?', name, version);
      this.#q.run('DELETE FROM function_policies WHERE function_name = ? AND qualifier = ?', name, version);
      return config.codeSha256Hex;
    });
  }

  /** Sets or (undefined) clears the function's reserved concurrency. Returns false when the function does not exist. */
  setReservedConcurrency(name: string, reserved: number | undefined): boolean {
    return this.#q.run('UPDATE functions SET reserved_concurrency = ? WHERE name = ?', reserved ?? null, name);
  }

  /** Every function's reserved concurrency (to load into the counting service at start). */
  reservations(): Array<{ readonly name: string; readonly reserved: number }> {
    const rows = this.#q.all<{ name: string; reserved: number }>('SELECT name, reserved_concurrency AS reserved FROM functions WHERE reserved_concurrency IS NOT NULL');
    return rows.map((r) => ({ name: r.name, reserved: r.reserved }));
  }

  getFunction(name: string): FunctionRecord | undefined {
    const row = this.#q.get<FunctionRow>('SELECT * FROM functions WHERE name = ?', name);
    return row && toRecord(row);
  }

  getVersion(name: string, version: string): FunctionVersionConfig | undefined {
    const row = this.#q.get<VersionRow>('SELECT config FROM function_versions WHERE function_name = ? AND version = ?', name, version);
    return row && parseConfig(row);
  }

  /** Every version of one function, `$LATEST` first. */
  listVersions(name: string): FunctionVersionConfig[] {
    return this.#q.all<VersionRow>(`SELECT config FROM function_versions WHERE function_name = ? ORDER BY ${VERSION_ORDER}`, name).map(parseConfig);
  }

  /**
   * Reads a version and writes what `change` returns, in one transaction. `change`
   * may throw (the transaction rolls back) or return its argument (nothing is
   * written). Returns the stored result, or undefined when the row does not exist.
   */
  updateVersion(name: string, version: string, change: (current: FunctionVersionConfig) => FunctionVersionConfig): FunctionVersionConfig | undefined {
    return this.#q.atomically(() => {
      const current = this.getVersion(name, version);
      if (current === undefined) return undefined;
      const next = change(current);
      if (next === current) return current;
      this.#q.run('UPDATE function_versions SET config = ? WHERE function_name = ? AND version = ?', JSON.stringify(next), name, version);
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
    return this.#q.all<VersionRow>(sql, ...params).map(parseConfig);
  }

  /** Deletes the function with all its versions. Returns the code keys its versions used, layers' included (to release), or undefined if absent. */
  deleteFunction(name: string): string[] | undefined {
    return this.#q.atomically(() => {
      const shas = this.listVersions(name).flatMap((c) => [c.codeSha256Hex, ...(c.layers ?? []).map((l) => l.sha256Hex)]);
      return this.#q.run('DELETE FROM functions WHERE name = ?', name) ? [...new Set(shas)] : undefined;
    });
  }

  /** Replaces the tag map. Returns false when the function does not exist. */
  setTags(name: string, tags: Readonly<Record<string, string>>): boolean {
    return this.#q.run('UPDATE functions SET tags = ? WHERE name = ?', JSON.stringify(tags), name);
  }

  /** Whether any version still uses the package, as its code or as a layer (with LayerStore.isCodeReferenced, every reference to a code blob). */
  isCodeReferenced(sha256Hex: string): boolean {
    return this.#q.get(
      `SELECT 1 AS used FROM function_versions WHERE json_extract(config, '$.codeSha256Hex') = ?
       OR EXISTS (SELECT 1 FROM json_each(function_versions.config, '$.layers') l
                  WHERE CASE WHEN l.type = 'object' THEN json_extract(l.value, '$.sha256Hex') END = ?)
       LIMIT 1`,
      sha256Hex, sha256Hex,
    ) !== undefined;
  }

  /** Versions whose State / LastUpdateStatus is transient (to settle after a restart). */
  unsettledVersions(): Array<{ readonly name: string; readonly version: string; readonly lastModifiedMs: number }> {
    const rows = this.#q.all<{ name: string; version: string; last_modified_ms: number }>(
      `SELECT function_name AS name, version, json_extract(config, '$.lastModifiedMs') AS last_modified_ms FROM function_versions
       WHERE json_extract(config, '$.state') = 'Pending' OR json_extract(config, '$.lastUpdateStatus') = 'InProgress'`,
    );
    return rows.map((r) => ({ name: r.name, version: r.version, lastModifiedMs: r.last_modified_ms }));
  }

  usage(): AccountUsage {
    const fns = this.#q.get<{ n: number; reserved: number }>('SELECT COUNT(*) AS n, COALESCE(SUM(reserved_concurrency), 0) AS reserved FROM functions')!;
    const code = this.#q.get<{ size: number }>("SELECT COALESCE(SUM(json_extract(config, '$.codeSize')), 0) AS size FROM function_versions")!;
    return { functionCount: fns.n, totalCodeSize: code.size, reservedConcurrency: fns.reserved };
  }
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
