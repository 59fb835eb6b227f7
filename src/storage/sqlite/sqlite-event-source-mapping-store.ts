import type { EventSourceMappingRecord, MappingState } from '../../model/index.ts';
import type { EventSourceMappingStore } from '../ports.ts';
import type { Database } from './database.ts';
import { Queries } from './queries.ts';
import type { Synchronous } from './synchronous-port.ts';
import { MAPPING_COLUMNS, mappingFromRow, mappingParams, withReason, type MappingRow } from '../mapping-rows.ts';

/** EventSourceMappingStore over SQLite: rows of `event_source_mappings` (no foreign key: a mapping outlives its function). */
export class SqliteEventSourceMappingStore implements Synchronous<EventSourceMappingStore> {
  readonly #q: Queries;

  constructor(db: Database) {
    this.#q = new Queries(db);
  }

  get(uuid: string): EventSourceMappingRecord | undefined {
    const row = this.#q.get<MappingRow>(`SELECT ${MAPPING_COLUMNS} FROM event_source_mappings WHERE uuid = ?`, uuid);
    return row === undefined ? undefined : mappingFromRow(row);
  }

  list(query: { readonly eventSourceArn?: string | undefined; readonly functionName?: string | undefined; readonly afterUuid?: string | undefined; readonly limit: number }): EventSourceMappingRecord[] {
    return this.#q
      .all<MappingRow>(
        `SELECT ${MAPPING_COLUMNS} FROM event_source_mappings
         WHERE uuid > ? AND (? IS NULL OR event_source_arn = ?) AND (? IS NULL OR function_name = ?) ORDER BY uuid LIMIT ?`,
        query.afterUuid ?? '', query.eventSourceArn ?? null, query.eventSourceArn ?? null, query.functionName ?? null, query.functionName ?? null, query.limit,
      )
      .map(mappingFromRow);
  }

  insert(record: EventSourceMappingRecord): void {
    this.#q.run(`INSERT INTO event_source_mappings (${MAPPING_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`, ...mappingParams(record));
  }

  update(record: EventSourceMappingRecord): boolean {
    const [uuid, arn, fn, state, lastModified, settings] = mappingParams(record);
    return this.#q.run('UPDATE event_source_mappings SET event_source_arn = ?, function_name = ?, state = ?, last_modified_ms = ?, settings = ? WHERE uuid = ?', arn, fn, state, lastModified, settings, uuid);
  }

  setState(seen: Pick<EventSourceMappingRecord, 'uuid' | 'state' | 'lastModifiedMs'>, state: MappingState, reason: string): boolean {
    const row = this.#q.get<MappingRow>(`SELECT ${MAPPING_COLUMNS} FROM event_source_mappings WHERE uuid = ? AND state = ? AND last_modified_ms = ?`, seen.uuid, seen.state, seen.lastModifiedMs);
    if (row === undefined) return false;
    return this.#q.run('UPDATE event_source_mappings SET state = ?, settings = ? WHERE uuid = ? AND state = ? AND last_modified_ms = ?', state, withReason(row.settings, reason), seen.uuid, seen.state, seen.lastModifiedMs);
  }

  delete(uuid: string): boolean {
    return this.#q.run('DELETE FROM event_source_mappings WHERE uuid = ?', uuid);
  }
}
