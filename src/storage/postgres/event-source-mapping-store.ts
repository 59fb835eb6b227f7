/** Event source mappings (`event_source_mappings`); no foreign key: a mapping outlives its function, as Lambda's do. */
import type { EventSourceMappingRecord, MappingState } from '../../model/index.ts';
import type { EventSourceMappingStore } from '../ports.ts';
import type { Sql } from './sql.ts';
import { MAPPING_COLUMNS, mappingFromRow, mappingParams, type MappingRow } from '../mapping-rows.ts';

export class PostgresEventSourceMappingStore implements EventSourceMappingStore {
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  async get(uuid: string): Promise<EventSourceMappingRecord | undefined> {
    const [row] = await this.#sql.rows<MappingRow>(`SELECT ${MAPPING_COLUMNS} FROM event_source_mappings WHERE uuid = $1`, [uuid]);
    return row && mappingFromRow(row);
  }

  async list(query: { readonly eventSourceArn?: string | undefined; readonly functionName?: string | undefined; readonly afterUuid?: string | undefined; readonly limit: number }): Promise<EventSourceMappingRecord[]> {
    const rows = await this.#sql.rows<MappingRow>(
      `SELECT ${MAPPING_COLUMNS} FROM event_source_mappings
       WHERE uuid > $1 AND ($2::text IS NULL OR event_source_arn = $2) AND ($3::text IS NULL OR function_name = $3) ORDER BY uuid COLLATE "C" LIMIT $4`,
      [query.afterUuid ?? '', query.eventSourceArn ?? null, query.functionName ?? null, query.limit],
    );
    return rows.map(mappingFromRow);
  }

  async insert(record: EventSourceMappingRecord): Promise<void> {
    await this.#sql.count(`INSERT INTO event_source_mappings (${MAPPING_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)`, mappingParams(record));
  }

  async update(record: EventSourceMappingRecord): Promise<boolean> {
    const [uuid, arn, fn, state, lastModified, settings] = mappingParams(record);
    const n = await this.#sql.count('UPDATE event_source_mappings SET event_source_arn = $1, function_name = $2, state = $3, last_modified_ms = $4, settings = $5 WHERE uuid = $6', [arn, fn, state, lastModified, settings, uuid]);
    return n > 0;
  }

  async setState(seen: Pick<EventSourceMappingRecord, 'uuid' | 'state' | 'lastModifiedMs'>, state: MappingState, reason: string): Promise<boolean> {
    const n = await this.#sql.count(
      `UPDATE event_source_mappings SET state = $1, settings = jsonb_set(settings::jsonb, '{stateTransitionReason}', to_jsonb($2::text))::text
       WHERE uuid = $3 AND state = $4 AND last_modified_ms = $5`,
      [state, reason, seen.uuid, seen.state, seen.lastModifiedMs],
    );
    return n > 0;
  }

  async delete(uuid: string): Promise<boolean> {
    return (await this.#sql.count('DELETE FROM event_source_mappings WHERE uuid = $1', [uuid])) > 0;
  }
}
