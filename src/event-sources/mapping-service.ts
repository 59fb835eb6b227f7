/**
 * The event source mapping operations: Create / Get / Update / Delete / List, with Lambda's
 * validation and state transitions. The API writes the transitional states (`Creating`,
 * `Enabling`, `Updating`, `Disabling`, `Deleting`); the pollers settle them (mapping-runner.ts).
 */
import { randomUUID } from 'node:crypto';
import { FunctionNotFound, wantsPolling, type EventSourceMappingRecord, type MappingState } from '../model/index.ts';
import { errors, functionArn, type Account, type Clock } from '../shared/index.ts';
import type { EventSourceMappingStore } from '../storage/index.ts';
import {
  assertBatching,
  assertNoStreamSettings,
  assertSqsSource,
  checkedFilters,
  DEFAULT_SQS_BATCH_SIZE,
  FUNCTION_NOT_FOUND,
  MAPPING_NOT_FOUND,
  mappingValidationError,
  QUEUE_NOT_FOUND,
  type MappingInput,
} from './mapping-validation.ts';
import type { FunctionLookup, QueueConsumer } from './ports.ts';

export const USER_INITIATED = 'USER_INITIATED';

export interface MappingServiceDeps {
  readonly store: EventSourceMappingStore;
  readonly queues: Pick<QueueConsumer, 'describe'>;
  readonly functions: FunctionLookup;
  readonly account: Account;
  readonly clock: Clock;
  /** Called after every change (wakes the pollers' runner). */
  readonly changed: () => void;
  readonly newUuid?: () => string;
}

export interface MappingPage {
  readonly mappings: EventSourceMappingRecord[];
  readonly nextMarker: string | undefined;
}

export class EventSourceMappingService {
  readonly #deps: MappingServiceDeps;

  constructor(deps: MappingServiceDeps) {
    this.#deps = deps;
  }

  async create(input: MappingInput): Promise<EventSourceMappingRecord> {
    const invalid = mappingValidationError(input, true);
    if (invalid) throw invalid;
    assertSqsSource(input.EventSourceArn);
    assertNoStreamSettings(input);
    const batchSize = input.BatchSize ?? DEFAULT_SQS_BATCH_SIZE;
    const window = input.MaximumBatchingWindowInSeconds ?? 0;
    assertBatching(batchSize, window);
    const filters = checkedFilters(input.FilterCriteria);
    const target = await this.#function(input.FunctionName!);
    const queue = await this.#deps.queues.describe(input.EventSourceArn);
    if (queue === undefined) throw errors.invalidParameter(QUEUE_NOT_FOUND);
    assertVisibilityCoversTimeout(queue.visibilityTimeoutSeconds, target.timeoutSec);
    const existing = await this.#deps.store.list({ eventSourceArn: input.EventSourceArn, functionName: target.name, limit: 1000 });
    const same = existing.find((m) => m.functionArn === target.arn);
    if (same !== undefined) {
      throw errors.conflict(
        `An event source mapping with SQS arn (" ${input.EventSourceArn} ") and function (" ${target.name} ") already exists. Please update or delete the existing mapping with UUID ${same.uuid}`,
      );
    }
    const record: EventSourceMappingRecord = {
      uuid: (this.#deps.newUuid ?? randomUUID)(),
      eventSourceArn: input.EventSourceArn,
      functionName: target.name,
      functionArn: target.arn,
      state: input.Enabled === false ? 'Disabling' : 'Creating',
      stateTransitionReason: USER_INITIATED,
      lastModifiedMs: this.#deps.clock.now(),
      batchSize,
      maximumBatchingWindowInSeconds: window,
      filters,
      functionResponseTypes: [...(input.FunctionResponseTypes ?? [])],
      maximumConcurrency: input.ScalingConfig?.MaximumConcurrency,
    };
    await this.#deps.store.insert(record);
    this.#deps.changed();
    // Lambda answers a disabled mapping's creation with Creating too; it then settles to Disabled.
    return { ...record, state: 'Creating' };
  }

  async get(uuid: string): Promise<EventSourceMappingRecord> {
    const found = await this.#deps.store.get(uuid);
    if (found === undefined) throw errors.notFound(MAPPING_NOT_FOUND);
    return found;
  }

  async update(uuid: string, input: MappingInput): Promise<EventSourceMappingRecord> {
    const invalid = mappingValidationError(input, false);
    if (invalid) throw invalid;
    const current = await this.get(uuid);
    if (current.state === 'Deleting') throw errors.conflict(`Cannot update the event source mapping because it is in use.`);
    assertNoStreamSettings(input);
    const batchSize = input.BatchSize ?? current.batchSize;
    const window = input.MaximumBatchingWindowInSeconds ?? current.maximumBatchingWindowInSeconds;
    assertBatching(batchSize, window);
    const filters = input.FilterCriteria === undefined ? current.filters : checkedFilters(input.FilterCriteria);
    let target: { readonly name: string; readonly arn: string } = { name: current.functionName, arn: current.functionArn };
    if (input.FunctionName !== undefined) {
      const fn = await this.#function(input.FunctionName);
      const queue = await this.#deps.queues.describe(current.eventSourceArn);
      if (queue !== undefined) assertVisibilityCoversTimeout(queue.visibilityTimeoutSeconds, fn.timeoutSec);
      target = fn;
    }
    const scaling = input.ScalingConfig;
    const next: EventSourceMappingRecord = {
      ...current,
      functionName: target.name,
      functionArn: target.arn,
      state: nextState(current.state, input.Enabled),
      stateTransitionReason: USER_INITIATED,
      lastModifiedMs: Math.max(this.#deps.clock.now(), current.lastModifiedMs + 1),
      batchSize,
      maximumBatchingWindowInSeconds: window,
      filters,
      functionResponseTypes: input.FunctionResponseTypes === undefined ? current.functionResponseTypes : [...input.FunctionResponseTypes],
      maximumConcurrency: scaling === undefined ? current.maximumConcurrency : scaling.MaximumConcurrency,
    };
    if (!(await this.#deps.store.update(next))) throw errors.notFound(MAPPING_NOT_FOUND);
    this.#deps.changed();
    return next;
  }

  async delete(uuid: string): Promise<EventSourceMappingRecord> {
    const current = await this.get(uuid);
    if (current.state === 'Deleting') return current;
    const next: EventSourceMappingRecord = { ...current, state: 'Deleting', stateTransitionReason: USER_INITIATED, lastModifiedMs: Math.max(this.#deps.clock.now(), current.lastModifiedMs + 1) };
    if (!(await this.#deps.store.update(next))) throw errors.notFound(MAPPING_NOT_FOUND);
    this.#deps.changed();
    return next;
  }

  async list(query: { readonly eventSourceArn?: string | undefined; readonly functionName?: string | undefined; readonly marker?: string | undefined; readonly maxItems?: number | undefined }): Promise<MappingPage> {
    if (query.eventSourceArn !== undefined) {
      const invalid = mappingValidationError({ EventSourceArn: query.eventSourceArn }, false);
      if (invalid) throw invalid;
    }
    const functionName = query.functionName === undefined ? undefined : this.#deps.functions.parse(query.functionName, 'read').name;
    const limit = query.maxItems ?? 100;
    const mappings = await this.#deps.store.list({ eventSourceArn: query.eventSourceArn, functionName, afterUuid: query.marker, limit: limit + 1 });
    const more = mappings.length > limit;
    const page = mappings.slice(0, limit);
    return { mappings: page, nextMarker: more ? page.at(-1)!.uuid : undefined };
  }

  /** The function a FunctionName names (it must exist, with its version or alias), the ARN the mapping shows, and its timeout. */
  async #function(functionName: string): Promise<{ readonly name: string; readonly arn: string; readonly timeoutSec: number }> {
    const ref = this.#deps.functions.parse(functionName, 'write');
    let timeoutSec;
    try {
      timeoutSec = (await this.#deps.functions.resolve(ref.name, ref.qualifier)).config.timeoutSec;
    } catch (err) {
      if (err instanceof FunctionNotFound) throw errors.invalidParameter(FUNCTION_NOT_FOUND);
      throw err;
    }
    return { name: ref.name, arn: functionArn(this.#deps.account, ref.name, ref.qualifier), timeoutSec };
  }
}

/**
 * Lambda refuses to map a queue whose visibility timeout is shorter than the function's timeout:
 * a batch still running would become visible again and be delivered twice.
 */
function assertVisibilityCoversTimeout(visibilityTimeoutSec: number, functionTimeoutSec: number): void {
  if (visibilityTimeoutSec < functionTimeoutSec) {
    throw errors.invalidParameter(`Queue visibility timeout: ${visibilityTimeoutSec} seconds is less than Function timeout: ${functionTimeoutSec} seconds`);
  }
}

/** The state an update leaves: Enabled toggles through Enabling / Disabling; other changes go through Updating. */
export function nextState(current: MappingState, enabled: boolean | undefined): MappingState {
  const polling = wantsPolling(current);
  if (enabled === true && !polling) return 'Enabling';
  if (enabled === false && polling) return 'Disabling';
  if (enabled === false) return current === 'Disabled' ? 'Disabled' : 'Disabling';
  return polling ? 'Updating' : current;
}
