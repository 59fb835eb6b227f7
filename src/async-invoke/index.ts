/**
 * Async invoke: the durable internal queue of `Event` invocations (embedded
 * database, committed before the 202), pollers that deliver events through the
 * synchronous invoke path with fair share across functions, Lambda's retry
 * policy (MaximumRetryAttempts, MaximumEventAgeInSeconds), OnSuccess / OnFailure
 * destinations (records enqueued for the destination function in the same
 * transaction as the ack), a dead-letter store with redrive, the
 * FunctionEventInvokeConfig operations, InvokeAsync, and stats. The lifecycle
 * of an event is drawn in event-lifecycle.ts and docs/async-invoke.md.
 */
import type { FastifyInstance } from '../api/index.ts';
import type { Database } from '../db/index.ts';
import type { ResolvedTarget } from '../model/index.ts';
import { componentLogger, parseFunctionRef } from '../shared/index.ts';
import { AsyncPoller, type AsyncPollerDeps } from './async-poller.ts';
import { asyncStats, type AsyncStats } from './async-stats.ts';
import { DeadLetters } from './dead-letters.ts';
import { EventInvokeConfigService } from './event-invoke-config-service.ts';
import { EventInvokeConfigStore } from './event-invoke-config-store.ts';
import type { FunctionLookup } from './ports.ts';
import { registerAsyncStatsRoute } from './routes/async-stats-route.ts';
import { registerDlqRoute } from './routes/dlq-route.ts';
import { registerEventInvokeConfigRoute } from './routes/event-invoke-config-route.ts';
import { registerInvokeAsyncRoute } from './routes/invoke-async-route.ts';
import { SqliteEventQueue } from './sqlite-event-queue.ts';

export type { AsyncStats, AsyncFunctionStats } from './async-stats.ts';
export type { AsyncPollerOptions } from './async-poller.ts';
export type { AttemptLog, FunctionLookup, Invoker } from './ports.ts';
export { DeadLetters } from './dead-letters.ts';
export { type DeadLetter, type DeadLetterQuery } from '../model/index.ts';
export { deadLetterDetail, deadLetterSummary } from './dead-letter-view.ts';
export { logStoreAttemptLog, attemptStreamName, type LogAppender } from './log-store-attempt-log.ts';

/** The pollers' dependencies, minus the queue and settings this component builds itself from `db`. */
export interface AsyncInvokeDeps extends Omit<AsyncPollerDeps, 'queue' | 'settings'> {
  readonly db: Database;
  /** For the FunctionEventInvokeConfig operations (names, qualifiers, destinations). */
  readonly functions: FunctionLookup;
}

export interface AsyncInvoke {
  /** Front-end port: commits an Event invocation durably; the caller answers 202 after it returns. */
  enqueue(target: ResolvedTarget, request: { readonly requestId: string; readonly payload: Buffer }): void;
  /** Adds the event-invoke-config, InvokeAsync, `/flint/dlq` and `/flint/async/stats` routes. */
  register(app: FastifyInstance): void;
  /** Starts the pollers (events left in flight by a previous process are queued again). */
  start(): void;
  /** Stops the pollers, waiting up to `graceMs` for deliveries in flight. */
  stop(graceMs?: number): Promise<void>;
  stats(): AsyncStats;
}

export function createAsyncInvoke(deps: AsyncInvokeDeps): AsyncInvoke {
  const logger = componentLogger(deps.logger, 'async-invoke');
  const queue = new SqliteEventQueue(deps.db);
  const configs = new EventInvokeConfigStore(deps.db);
  const deadLetters = new DeadLetters(deps.db);
  const poller = new AsyncPoller({ ...deps, logger, queue, settings: (fn, q) => configs.settingsFor(fn, q) });
  const configService = new EventInvokeConfigService({ store: configs, functions: deps.functions, account: deps.account, clock: deps.clock });
  const enqueue = (target: ResolvedTarget, request: { readonly requestId: string; readonly payload: Buffer }): void => {
    const qualifier = parseFunctionRef(target.invokedFunctionArn, deps.account)?.qualifier;
    queue.enqueue({ requestId: request.requestId, functionName: target.config.functionName, qualifier, payload: request.payload, origin: 'invoke' }, deps.clock.now());
    poller.notify();
  };
  const stats = (): AsyncStats => asyncStats(queue.snapshot(deps.clock.now()), poller.inFlight(), deps.options.maxInFlight, deps.clock.now());
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
