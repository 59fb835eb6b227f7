/** An event source mapping as stored: an SQS queue polled for a function (Lambda's EventSourceMappingConfiguration). */

/**
 * Lambda's mapping states. The API writes the transitional ones (`Creating`, `Enabling`,
 * `Updating`, `Disabling`, `Deleting`); the mapping's poller settles them (`Enabled`,
 * `Disabled`, or the row's removal).
 */
export type MappingState = 'Creating' | 'Enabling' | 'Enabled' | 'Updating' | 'Disabling' | 'Disabled' | 'Deleting';

/** One filter of `FilterCriteria`, as the API takes it (the pattern is JSON text). */
export interface MappingFilter {
  readonly Pattern: string;
}

export interface EventSourceMappingRecord {
  readonly uuid: string;
  readonly eventSourceArn: string;
  /** The function's name (ListEventSourceMappings filters on it). */
  readonly functionName: string;
  /** As Lambda shows it: unqualified, or with the version / alias the mapping invokes. */
  readonly functionArn: string;
  readonly state: MappingState;
  readonly stateTransitionReason: string;
  /** When the user last changed the mapping (create or update). */
  readonly lastModifiedMs: number;
  readonly batchSize: number;
  readonly maximumBatchingWindowInSeconds: number;
  readonly filters: readonly MappingFilter[] | undefined;
  /** `ReportBatchItemFailures`, or none. */
  readonly functionResponseTypes: readonly string[];
  /** ScalingConfig.MaximumConcurrency (2-1000); undefined: no limit of the mapping's own. */
  readonly maximumConcurrency: number | undefined;
}

/** Whether a mapping in this state should be polling (it is, or is about to be, enabled). */
export function wantsPolling(state: MappingState): boolean {
  return state === 'Creating' || state === 'Enabling' || state === 'Enabled' || state === 'Updating';
}
