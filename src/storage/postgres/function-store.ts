/**
 * Functions (`functions`: tags, reserved concurrency, the last version number handed out) and
 * their versions (`function_versions`: `$LATEST` and published snapshots, each a
 * FunctionVersionConfig as JSON, ordered by the generated `version_order`). Aliases, provisioned
 * and event-invoke configs go with their function (ON DELETE CASCADE).
 */
import type { AccountUsage, FunctionRecord, FunctionVersionConfig, ListCursor, PublishedRef } from '../../model/index.ts';
import type { FunctionStore } from '../ports.ts';
import { one, type Sql } from './sql.ts';

interface FunctionRow { name: string; created_ms: number; tags: Record<string, string>; reserved_concurrency: number | null }
interface VersionRow { config: FunctionVersionConfig }

const ORDER_OF_PARAM = (p: string): string => `(CASE WHEN ${p}::text = '$LATEST' THEN -1 ELSE ${p}::integer END)`;

export class PostgresFunctionStore implements FunctionStore {
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  insertFunction(record: FunctionRecord, latest: FunctionVersionConfig): Promise<boolean> {
    return this.#sql.atomically(async (sql) => {
      const inserted = await sql.count(
        'INSERT INTO functions (name, created_ms, tags, reserved_concurrency) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING',
        [record.name, record.createdMs, JSON.stringify(record.tags), record.reservedConcurrency ?? null],
      );
      if (inserted === 0) return false;
      await insertVersion(sql, latest);
      return true;
    });
  }

  insertVersion(config: FunctionVersionConfig, sourceDigest?: string): Promise<void> {
    return insertVersion(this.#sql, config, sourceDigest);
  }

  async lastPublished(name: string): Promise<PublishedRef | undefined> {
    const [row] = await this.#sql.rows<{ version: string; source_digest: string | null }>(
      "SELECT version, source_digest FROM function_versions WHERE function_name = $1 AND version <> '$LATEST' ORDER BY version_order DESC LIMIT 1",
      [name],
    );
    return row && { version: row.version, sourceDigest: row.source_digest };
  }

  async takeVersionNumber(name: string): Promise<number | undefined> {
    const [row] = await this.#sql.rows<{ last_version: number }>('UPDATE functions SET last_version = last_version + 1 WHERE name = $1 RETURNING last_version', [name]);
    return row?.last_version;
  }

  deleteVersion(name: string, version: string): Promise<string | undefined> {
    return this.#sql.atomically(async (sql) => {
      const [row] = await sql.rows<VersionRow>('DELETE FROM function_versions WHERE function_name = $1 AND version = $2 RETURNING config', [name, version]);
      await sql.count('DELETE FROM function_policies WHERE function_name = $1 AND qualifier = $2', [name, version]);
      return row?.config.codeSha256Hex;
    });
  }

  async setReservedConcurrency(name: string, reserved: number | undefined): Promise<boolean> {
    return (await this.#sql.count('UPDATE functions SET reserved_concurrency = $1 WHERE name = $2', [reserved ?? null, name])) > 0;
  }

  reservations(): Promise<Array<{ readonly name: string; readonly reserved: number }>> {
    return this.#sql.rows('SELECT name, reserved_concurrency AS reserved FROM functions WHERE reserved_concurrency IS NOT NULL ORDER BY name');
  }

  async getFunction(name: string): Promise<FunctionRecord | undefined> {
    const [row] = await this.#sql.rows<FunctionRow>('SELECT name, created_ms, tags, reserved_concurrency FROM functions WHERE name = $1', [name]);
    return row && { name: row.name, createdMs: row.created_ms, tags: row.tags, reservedConcurrency: row.reserved_concurrency ?? undefined };
  }

  async getVersion(name: string, version: string): Promise<FunctionVersionConfig | undefined> {
    const [row] = await this.#sql.rows<VersionRow>('SELECT config FROM function_versions WHERE function_name = $1 AND version = $2', [name, version]);
    return row?.config;
  }

  async listVersions(name: string): Promise<FunctionVersionConfig[]> {
    return (await this.#sql.rows<VersionRow>('SELECT config FROM function_versions WHERE function_name = $1 ORDER BY version_order', [name])).map((r) => r.config);
  }

  updateVersion(name: string, version: string, change: (current: FunctionVersionConfig) => FunctionVersionConfig): Promise<FunctionVersionConfig | undefined> {
    return this.#sql.atomically(async (sql) => {
      const [row] = await sql.rows<VersionRow>('SELECT config FROM function_versions WHERE function_name = $1 AND version = $2 FOR UPDATE', [name, version]);
      if (row === undefined) return undefined;
      const next = change(row.config);
      if (next === row.config) return row.config;
      await sql.count('UPDATE function_versions SET config = $1 WHERE function_name = $2 AND version = $3', [JSON.stringify(next), name, version]);
      return next;
    });
  }

  async list(options: { readonly after?: ListCursor | undefined; readonly limit: number; readonly allVersions: boolean }): Promise<FunctionVersionConfig[]> {
    const { after, limit, allVersions } = options;
    const filter = allVersions ? 'TRUE' : "version = '$LATEST'";
    const rows = after === undefined
      ? await this.#sql.rows<VersionRow>(`SELECT config FROM function_versions WHERE ${filter} ORDER BY function_name, version_order LIMIT $1`, [limit])
      : await this.#sql.rows<VersionRow>(
        `SELECT config FROM function_versions WHERE ${filter} AND (function_name, version_order) > ($1::text, ${ORDER_OF_PARAM('$2')})
         ORDER BY function_name, version_order LIMIT $3`,
        [after.name, after.version, limit],
      );
    return rows.map((r) => r.config);
  }

  deleteFunction(name: string): Promise<string[] | undefined> {
    return this.#sql.atomically(async (sql) => {
      const versions = await sql.rows<VersionRow>('SELECT config FROM function_versions WHERE function_name = $1 FOR UPDATE', [name]);
      const deleted = await sql.count('DELETE FROM functions WHERE name = $1', [name]);
      return deleted === 0 ? undefined : [...new Set(versions.flatMap((r) => [r.config.codeSha256Hex, ...(r.config.layers ?? []).map((l) => l.sha256Hex)]))];
    });
  }

  async setTags(name: string, tags: Readonly<Record<string, string>>): Promise<boolean> {
    return (await this.#sql.count('UPDATE functions SET tags = $1 WHERE name = $2', [JSON.stringify(tags), name])) > 0;
  }

  async isCodeReferenced(sha256Hex: string): Promise<boolean> {
    const sql = `SELECT 1 FROM function_versions WHERE config->>'codeSha256Hex' = $1
      OR EXISTS (SELECT 1 FROM json_array_elements(config->'layers') l WHERE l->>'sha256Hex' = $1) LIMIT 1`;
    return (await this.#sql.rows(sql, [sha256Hex])).length > 0;
  }

  unsettledVersions(): Promise<Array<{ readonly name: string; readonly version: string; readonly lastModifiedMs: number }>> {
    return this.#sql.rows(
      `SELECT function_name AS name, version, (config->>'lastModifiedMs')::bigint AS "lastModifiedMs" FROM function_versions
       WHERE config->>'state' = 'Pending' OR config->>'lastUpdateStatus' = 'InProgress' ORDER BY function_name, version_order`,
    );
  }

  async usage(): Promise<AccountUsage> {
    const fns = await one<{ n: number; reserved: number }>(this.#sql, 'SELECT COUNT(*) AS n, COALESCE(SUM(reserved_concurrency), 0) AS reserved FROM functions');
    const code = await one<{ size: number }>(this.#sql, "SELECT COALESCE(SUM((config->>'codeSize')::bigint), 0) AS size FROM function_versions");
    return { functionCount: fns.n, totalCodeSize: code.size, reservedConcurrency: fns.reserved };
  }
}

/** Rejects when the version exists, without a failed statement: a transaction it runs in stays usable. */
async function insertVersion(sql: Sql, config: FunctionVersionConfig, sourceDigest?: string): Promise<void> {
  const inserted = await sql.count(
    'INSERT INTO function_versions (function_name, version, config, source_digest) VALUES ($1, $2, $3, $4) ON CONFLICT (function_name, version) DO NOTHING',
    [config.functionName, config.version, JSON.stringify(config), sourceDigest ?? null],
  );
  if (inserted === 0) throw new Error(`version ${config.version} of function ${config.functionName} exists`);
}
