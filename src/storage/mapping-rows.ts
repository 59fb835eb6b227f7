/** Event source mapping rows, alike in both adapters: the searched members as columns, the settings as JSON text. */
import type { EventSourceMappingRecord, MappingState } from '../model/index.ts';

export const MAPPING_COLUMNS = 'uuid, event_source_arn, function_name, state, last_modified_ms, settings';

export interface MappingRow {
  readonly uuid: string;
  readonly event_source_arn: string;
  readonly function_name: string;
  readonly state: string;
  readonly last_modified_ms: number;
  readonly settings: string;
}

type Settings = Omit<EventSourceMappingRecord, 'uuid' | 'eventSourceArn' | 'functionName' | 'state' | 'lastModifiedMs'>;

export function mappingFromRow(row: MappingRow): EventSourceMappingRecord {
  const s = JSON.parse(row.settings) as Settings;
  return {
    uuid: row.uuid,
    eventSourceArn: row.event_source_arn,
    functionName: row.function_name,
    functionArn: s.functionArn,
    state: row.state as MappingState,
    stateTransitionReason: s.stateTransitionReason,
    lastModifiedMs: Number(row.last_modified_ms),
    batchSize: s.batchSize,
    maximumBatchingWindowInSeconds: s.maximumBatchingWindowInSeconds,
    filters: s.filters ?? undefined,
    functionResponseTypes: s.functionResponseTypes,
    maximumConcurrency: s.maximumConcurrency ?? undefined,
  };
}

/** The row's values in MAPPING_COLUMNS order. */
export function mappingParams(r: EventSourceMappingRecord): [string, string, string, string, number, string] {
  const settings: Settings = {
    functionArn: r.functionArn,
    stateTransitionReason: r.stateTransitionReason,
    batchSize: r.batchSize,
    maximumBatchingWindowInSeconds: r.maximumBatchingWindowInSeconds,
    filters: r.filters,
    functionResponseTypes: r.functionResponseTypes,
    maximumConcurrency: r.maximumConcurrency,
  };
  return [r.uuid, r.eventSourceArn, r.functionName, r.state, r.lastModifiedMs, JSON.stringify(settings)];
}

/** The stored settings with the reason replaced (setState). */
export function withReason(settingsJson: string, reason: string): string {
  return JSON.stringify({ ...(JSON.parse(settingsJson) as Settings), stateTransitionReason: reason });
}
