/**
 * Lambda's input rules for the event source mapping operations, as pure checks: model
 * constraints (ranges, enums, patterns) become one ValidationException listing every violation;
 * service rules (the event source kind, SQS's batching rule, settings SQS has no use for) are
 * InvalidParameterValueException with Lambda's texts.
 */
import { constraint, errors, rangeViolations as range, validationException, type ApiError, type Violation } from '../shared/index.ts';
import { MAX_FILTERS, MAX_PATTERN_LENGTH, parsePattern } from './filter-pattern.ts';

/** The members of Create / UpdateEventSourceMapping, as sent (member types already checked). */
export interface MappingInput {
  readonly EventSourceArn?: string | undefined;
  readonly FunctionName?: string | undefined;
  readonly Enabled?: boolean | undefined;
  readonly BatchSize?: number | undefined;
  readonly MaximumBatchingWindowInSeconds?: number | undefined;
  readonly FilterCriteria?: { readonly Filters?: ReadonlyArray<{ readonly Pattern?: string | undefined }> | undefined } | undefined;
  readonly FunctionResponseTypes?: readonly string[] | undefined;
  readonly ScalingConfig?: { readonly MaximumConcurrency?: number | undefined } | undefined;
  /** Settings of stream and Kafka sources, which SQS refuses. */
  readonly StartingPosition?: string | undefined;
  readonly StartingPositionTimestamp?: number | undefined;
  readonly ParallelizationFactor?: number | undefined;
  readonly DestinationConfig?: unknown;
  readonly MaximumRecordAgeInSeconds?: number | undefined;
  readonly BisectBatchOnFunctionError?: boolean | undefined;
  readonly MaximumRetryAttempts?: number | undefined;
  readonly TumblingWindowInSeconds?: number | undefined;
  readonly Topics?: unknown;
  readonly Queues?: unknown;
  readonly SelfManagedEventSource?: unknown;
}

export const DEFAULT_SQS_BATCH_SIZE = 10;
export const EVENT_SOURCE_ARN_PATTERN = 'arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)';
const EVENT_SOURCE_ARN_RE = new RegExp(`^(?:${EVENT_SOURCE_ARN_PATTERN})$`);
const RESPONSE_TYPES = ['ReportBatchItemFailures'];

/** Lambda's text for an ARN that names no SQS queue (the service Flint maps). */
export const UNRECOGNIZED_SOURCE = 'Unrecognized event source.';
/** Lambda's text when the queue does not exist at create time. */
export const QUEUE_NOT_FOUND = 'Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist or you do not have access to it.';
export const BATCH_WINDOW_REQUIRED = 'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10';
export const MAPPING_NOT_FOUND = 'The resource you requested does not exist.';
export const FUNCTION_NOT_FOUND = 'Function does not exist';

/** The model-constraint check of Create (`create`) or Update; undefined when the input passes. */
export function mappingValidationError(input: MappingInput, create: boolean): ApiError | undefined {
  const violations: Violation[] = [
    ...range('batchSize', input.BatchSize, 1, 10_000),
    ...range('maximumBatchingWindowInSeconds', input.MaximumBatchingWindowInSeconds, 0, 300),
    ...range('scalingConfig.maximumConcurrency', input.ScalingConfig?.MaximumConcurrency, 2, 1000),
    ...range('parallelizationFactor', input.ParallelizationFactor, 1, 10),
    ...range('maximumRecordAgeInSeconds', input.MaximumRecordAgeInSeconds, -1, 604_800),
    ...range('maximumRetryAttempts', input.MaximumRetryAttempts, -1, 10_000),
    ...range('tumblingWindowInSeconds', input.TumblingWindowInSeconds, 0, 900),
  ];
  if (create && input.FunctionName === undefined) violations.push({ value: 'null', member: 'functionName', constraint: constraint.notNull() });
  if (input.EventSourceArn !== undefined && !EVENT_SOURCE_ARN_RE.test(input.EventSourceArn)) {
    violations.push({ value: input.EventSourceArn, member: 'eventSourceArn', constraint: constraint.pattern(EVENT_SOURCE_ARN_PATTERN) });
  }
  const types = input.FunctionResponseTypes;
  if (types !== undefined && types.length > 1) violations.push({ value: types, member: 'functionResponseTypes', constraint: constraint.maxLength(1) });
  if (types !== undefined && types.some((t) => !RESPONSE_TYPES.includes(t))) {
    violations.push({ value: types, member: 'functionResponseTypes', constraint: `Member must satisfy constraint: [Member must satisfy enum value set: [${RESPONSE_TYPES.join(', ')}]]` });
  }
  (input.FilterCriteria?.Filters ?? []).forEach((f, i) => {
    if (f.Pattern !== undefined && f.Pattern.length > MAX_PATTERN_LENGTH) {
      violations.push({ value: f.Pattern, member: `filterCriteria.filters.${i + 1}.member.pattern`, constraint: constraint.maxLength(MAX_PATTERN_LENGTH) });
    }
  });
  return violations.length === 0 ? undefined : validationException(violations);
}

/** Throws unless the ARN names an SQS queue (`arn:aws:sqs:REGION:ACCOUNT:NAME`). */
export function assertSqsSource(arn: string | undefined): asserts arn is string {
  if (arn === undefined) throw errors.invalidParameter(UNRECOGNIZED_SOURCE);
  const parts = arn.split(':');
  if (parts.length !== 6 || parts[2] !== 'sqs' || parts[5] === '') throw errors.invalidParameter(UNRECOGNIZED_SOURCE);
}

const STREAM_ONLY: ReadonlyArray<keyof MappingInput> = [
  'StartingPosition',
  'StartingPositionTimestamp',
  'ParallelizationFactor',
  'DestinationConfig',
  'MaximumRecordAgeInSeconds',
  'BisectBatchOnFunctionError',
  'MaximumRetryAttempts',
  'TumblingWindowInSeconds',
  'Topics',
  'Queues',
  'SelfManagedEventSource',
];

/** SQS mappings take none of the stream and broker settings. */
export function assertNoStreamSettings(input: MappingInput): void {
  for (const member of STREAM_ONLY) {
    if (input[member] !== undefined) throw errors.invalidParameter(`Unsupported ${member} parameter for given event source mapping type.`);
  }
}

/** SQS's batching rule: more than 10 messages a batch needs a batching window. */
export function assertBatching(batchSize: number, windowSeconds: number): void {
  if (batchSize > DEFAULT_SQS_BATCH_SIZE && windowSeconds === 0) throw errors.invalidParameter(BATCH_WINDOW_REQUIRED);
}

/** The filters, checked (each pattern valid, at most MAX_FILTERS); undefined when FilterCriteria names none. */
export function checkedFilters(criteria: MappingInput['FilterCriteria']): Array<{ Pattern: string }> | undefined {
  if (criteria === undefined) return undefined;
  const filters = criteria.Filters ?? [];
  if (filters.length > MAX_FILTERS) throw errors.invalidParameter(`The maximum number of filters is ${MAX_FILTERS}. Please reduce the number of filters.`);
  const out = filters.map((f) => {
    if (f.Pattern === undefined || f.Pattern === '') throw errors.invalidParameter('Invalid filter pattern definition.');
    parsePattern(f.Pattern);
    return { Pattern: f.Pattern };
  });
  return out.length === 0 ? undefined : out;
}
