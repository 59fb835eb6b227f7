/**
 * Function logs in the PostgreSQL database (`log_groups` with each group's retention, `log_streams`,
 * `log_events`), so that every front end of a cluster reads the lines any worker host shipped. An
 * event's offset is its place in its stream: each append takes the next offsets under the stream
 * row's lock, so offsets grow in commit order and a reader that saw offset N never later finds an
 * event below it. PostgreSQL text holds no NUL: a NUL in a message is stored as U+FFFD.
 */
import type pg from 'pg';
import type { LogEventRecord, LogGroupRecord, LogStore, LogStreamRecord, StoredLogEvent } from '../ports.ts';
import { openMigratedPool } from './migrations.ts';
import { PoolSql, type Sql } from './sql.ts';

/** Connections for log appends (one statement each) and reads. */
const POOL_SIZE = 5;

export class PostgresLogStore implements LogStore {
  readonly #pool: pg.Pool;
  readonly #sql: Sql;
  /** The last append of each stream being written: the next one waits for it (appends keep call order). */
  readonly #queues = new Map<string, Promise<void>>();

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
    this.#sql = new PoolSql(pool);
  }

  /** Opens (and migrates) the database at `url`. */
  static async open(url: string): Promise<PostgresLogStore> {
    return new PostgresLogStore(await openMigratedPool(url, 'flint logs', POOL_SIZE));
  }

  append(group: string, stream: string, events: readonly LogEventRecord[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    const key = `${group}\0${stream}`;
    const next = (this.#queues.get(key) ?? Promise.resolve()).then(() => this.#insert(group, stream, events));
    const settled = next.catch(() => undefined);
    this.#queues.set(key, settled);
    void settled.then(() => {
      if (this.#queues.get(key) === settled) this.#queues.delete(key);
    });
    return next;
  }

  /** One statement: the group and stream made or updated, the stream's next offsets taken, the events inserted. */
  async #insert(group: string, stream: string, events: readonly LogEventRecord[]): Promise<void> {
    const messages = events.map((e) => e.message.replaceAll('\u0000', '\uFFFD'));
    const bytes = messages.reduce((n, m) => n + Buffer.byteLength(m), 0);
    await this.#sql.count(
      `WITH g AS (
         INSERT INTO log_groups (name, created_ms) VALUES ($1, $3) ON CONFLICT (name) DO NOTHING
       ), s AS (
         INSERT INTO log_streams (group_name, name, created_ms, last_write_ms, stored_bytes, next_offset) VALUES ($1, $2, $3, $3, $4, $5)
         ON CONFLICT (group_name, name) DO UPDATE SET
           last_write_ms = GREATEST(log_streams.last_write_ms, excluded.last_write_ms),
           stored_bytes = log_streams.stored_bytes + excluded.stored_bytes,
           next_offset = log_streams.next_offset + excluded.next_offset
         RETURNING id, next_offset
       )
       INSERT INTO log_events (stream_id, event_offset, timestamp_ms, message)
       SELECT s.id, s.next_offset - $5 + t.ord - 1, t.ts, t.msg FROM s, unnest($6::bigint[], $7::text[]) WITH ORDINALITY AS t(ts, msg, ord)`,
      [group, stream, Date.now(), bytes, events.length, events.map((e) => Math.round(e.timestampMs)), messages],
    );
  }

  groups(): Promise<LogGroupRecord[]> {
    return this.#sql.rows('SELECT name, created_ms AS "createdMs" FROM log_groups ORDER BY name');
  }

  async createGroup(group: string): Promise<boolean> {
    return (await this.#sql.count('INSERT INTO log_groups (name, created_ms) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [group, Date.now()])) > 0;
  }

  async deleteGroup(group: string): Promise<boolean> {
    return (await this.#sql.count('DELETE FROM log_groups WHERE name = $1', [group])) > 0;
  }

  async deleteStream(group: string, stream: string): Promise<boolean> {
    return (await this.#sql.count('DELETE FROM log_streams WHERE group_name = $1 AND name = $2', [group, stream])) > 0;
  }

  async streams(group: string): Promise<LogStreamRecord[] | undefined> {
    const rows = await this.#sql.rows<{ name: string | null; createdMs: number; lastWriteMs: number; storedBytes: number }>(
      `SELECT s.name, s.created_ms AS "createdMs", s.last_write_ms AS "lastWriteMs", s.stored_bytes AS "storedBytes"
       FROM log_groups g LEFT JOIN log_streams s ON s.group_name = g.name
       WHERE g.name = $1 ORDER BY s.created_ms, s.id`,
      [group],
    );
    if (rows.length === 0) return undefined;
    return rows.filter((r): r is LogStreamRecord => r.name !== null);
  }

  async read(group: string, stream: string, from = 0): Promise<{ events: StoredLogEvent[]; nextOffset: number }> {
    const events = await this.#sql.rows<StoredLogEvent>(
      `SELECT e.event_offset AS "offset", e.timestamp_ms AS "timestampMs", e.message
       FROM log_streams s JOIN log_events e ON e.stream_id = s.id
       WHERE s.group_name = $1 AND s.name = $2 AND e.event_offset >= $3 ORDER BY e.event_offset`,
      [group, stream, from],
    );
    return { events, nextOffset: events.length === 0 ? from : events.at(-1)!.offset + 1 };
  }

  async retention(): Promise<ReadonlyMap<string, number>> {
    const rows = await this.#sql.rows<{ name: string; days: number }>('SELECT name, retention_days AS days FROM log_groups WHERE retention_days IS NOT NULL');
    return new Map(rows.map((r) => [r.name, r.days]));
  }

  async setRetention(group: string, days: number | undefined): Promise<void> {
    await this.#sql.count('UPDATE log_groups SET retention_days = $2 WHERE name = $1', [group, days ?? null]);
  }

  async close(): Promise<void> {
    await Promise.all(this.#queues.values());
    await this.#pool.end();
  }
}
