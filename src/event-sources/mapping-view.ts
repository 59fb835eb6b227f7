/** EventSourceMappingConfiguration as Lambda renders an SQS mapping (LastModified in epoch seconds). */
import type { EventSourceMappingRecord } from '../model/index.ts';
import type { Account } from '../shared/index.ts';

export function renderMapping(m: EventSourceMappingRecord, account: Account): Record<string, unknown> {
  return {
    UUID: m.uuid,
    BatchSize: m.batchSize,
    MaximumBatchingWindowInSeconds: m.maximumBatchingWindowInSeconds,
    EventSourceArn: m.eventSourceArn,
    ...(m.filters === undefined ? {} : { FilterCriteria: { Filters: m.filters.map((f) => ({ Pattern: f.Pattern })) } }),
    FunctionArn: m.functionArn,
    LastModified: m.lastModifiedMs / 1000,
    State: m.state,
    StateTransitionReason: m.stateTransitionReason,
    FunctionResponseTypes: [...m.functionResponseTypes],
    ...(m.maximumConcurrency === undefined ? {} : { ScalingConfig: { MaximumConcurrency: m.maximumConcurrency } }),
    EventSourceMappingArn: `arn:aws:lambda:${account.region}:${account.accountId}:event-source-mapping:${m.uuid}`,
  };
}
