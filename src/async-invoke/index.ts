/**
 * Async invoke: the durable internal queue of `Event` invocations (the storage's
 * EventQueue, committed before the 202), pollers that deliver events through the
 * synchronous invoke path with fair share across functions, Lambda's retry
 * policy (MaximumRetryAttempts, MaximumEventAgeInSeconds), OnSuccess / OnFailure
 * destinations (records enqueued for the destination function in the same
 * transaction as the ack, or sent to one of Flint's SQS queues just before it),
 * DeadLetterConfig queues, a dead-letter store with redrive, the
 * FunctionEventInvokeConfig operations, InvokeAsync, and stats. The lifecycle
 * of an event is drawn in event-lifecycle.ts and docs/async-invoke.md.
 */
import type { FastifyInstance } from '../api/index.ts';
import { FunctionNotFound, NO_EVENT_INVOKE_SETTINGS, type EventInvokeSettings, type NewAsyncEvent, type ResolvedTarget } from '../model/index.ts';
import { componentLogger, GroupCommit, parseFunctionRef } from '../shared/index.ts';
import { AsyncPoller, type AsyncPollerDeps } from './async-poller.ts';
import { asyncStats, type AsyncStats } from './async-stats.ts';
import { EventInvokeConfigService } from './event-invoke-config-service.ts';
import type { FunctionLookup } from './ports.ts';
import { registerAsyncStatsRoute } from './routes/async-stats-route.ts';
import { registerDlqRoute } from './routes/dlq-route.ts';
import { registerEventInvokeConfigRoute } from './routes/event-invoke-config-route.ts';
import { registerInvokeAsyncRoute } from './routes/invoke-async-route.ts';
import type { EventInvokeConfigStore, Stores } from '../storage/index.ts';

export type { AsyncStats, AsyncFunctionStats } from './async-stats.ts';
export type { AsyncPollerOptions, RenewalRound } from './async-poller.ts';
export type { AttemptLog, DestinationQueues, FunctionLookup, Invoker, QueueMessage } from './ports.ts';
export { type DeadLetter, type DeadLetterQuery } from '../model/index.ts';
export { deadLetterDetail, deadLetterSummary } from './dead-letter-view.ts';
export { logStoreAttemptLog, attemptStreamName, type LogAppender } from './log-store-attempt-log.ts';

/** The pollers' dependencies, minus the queue and settings this component takes from `stores`. */
export interface AsyncInvokeDeps extends Omit<AsyncPollerDeps, 'queue' | 'settings' | 'deadLetterQueueOf'> {
  /** The queue, the dead-letter store and the event invoke configs. */
  readonly stores: Pick<Stores, 'queue' | 'deadLetters' | 'eventInvokeConfigs'>;
  /** For the FunctionEventInvokeConfig operations (names, qualifiers, destinations). */
  readonly functions: FunctionLookup;
}

export interface AsyncInvoke {
  /** Front-end port: commits an Event invocation durably; the caller answers 202 after it returns. */
  enqueue(target: ResolvedTarget, request: { readonly requestId: string; readonly payload: Buffer }): Promise<void>;
  /** Adds the event-invoke-config, InvokeAsync, `/flint/dlq` and `/flint/async/stats` routes. */
  register(app: FastifyInstance): void;
  /** Starts the pollers (with `releaseLeasesAtStart`, events left in flight by a previous process are queued again). */
  start(): Promise<void>;
  /** Stops the pollers, waiting up to `graceMs` for deliveries in flight. */
  stop(graceMs?: number): Promise<void>;
  stats(): Promise<AsyncStats>;
}

export function createAsyncInvoke(deps: AsyncInvokeDeps): AsyncInvoke {
  const logger = componentLogger(deps.logger, 'async-invoke');
  const { queue, eventInvokeConfigs: configs, deadLetters } = deps.stores;
  const poller = new AsyncPoller({ ...deps, logger, queue, settings: (fn, q) => settingsFor(configs, fn, q), deadLetterQueueOf: (fn, q) => deadLetterQueueOf(deps.functions, fn, q) });
  const configService = new EventInvokeConfigService({ store: configs, functions: deps.functions, account: deps.account, clock: deps.clock });
  // accepted events are committed in groups (one transaction per batch), each before its 202
  const accepted = new GroupCommit<NewAsyncEvent>(async (events) => {
    await queue.enqueueAll(events, deps.clock.now());
    poller.notify();
  });
  const enqueue = (target: ResolvedTarget, request: { readonly requestId: string; readonly payload: Buffer }): Promise<void> => {
    const qualifier = parseFunctionRef(target.invokedFunctionArn, deps.account)?.qualifier;
    return accepted.add({ requestId: request.requestId, functionName: target.config.functionName, qualifier, payload: request.payload, origin: 'invoke' });
  };
  const stats = async (): Promise<AsyncStats> => {
    const snapshot = await queue.snapshot(deps.clock.now());
    return asyncStats(snapshot, poller.inFlight(), deps.options.maxInFlight, deps.clock.now());
  };
  return {
    enqueue,
    register(app) {
      registerEventInvokeConfigRoute(app, configService);
      registerInvokeAsyncRoute(app, { invoker: deps.invoker });
      registerDlqRoute(app, { deadLetters, clock: deps.clock, notify: () => poller.notify() });
      registerAsyncStatsRoute(app, stats);
    },
    start: () => poller.start(),
    stop: (graceMs = 2000) => poller.stop(graceMs),
    stats,
  };
}

/** The DeadLetterConfig.TargetArn of the version this name and qualifier run (undefined when none, or the function is gone). */
async function deadLetterQueueOf(functions: FunctionLookup, functionName: string, qualifier: string | undefined): Promise<string | undefined> {
  try {
    return (await functions.resolve(functionName, qualifier)).config.deadLetterTargetArn;
  } catch (err) {
    if (err instanceof FunctionNotFound) return undefined;
    throw err;
  }
}

/** The settings an event invoked with this qualifier runs under (Lambda's defaults when none are stored). */
async function settingsFor(configs: EventInvokeConfigStore, functionName: string, qualifier: string | undefined): Promise<EventInvokeSettings> {
  return (await configs.get(functionName, qualifier ?? '$LATEST'))?.settings ?? NO_EVENT_INVOKE_SETTINGS;
}
