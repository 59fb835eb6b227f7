/**
 * Event sources: event source mappings from SQS queues to functions. The mapping API
 * (Create / Get / Update / Delete / ListEventSourceMappings) with Lambda's validation and state
 * transitions; Lambda's event filtering; and the pollers, which consume the queues through the
 * queue ports (QueueConsumer) and invoke functions through the one invoke path. See
 * docs/event-sources.md.
 */
import type { FastifyInstance } from '../api/index.ts';
import { componentLogger, type Account, type Clock, type Logger } from '../shared/index.ts';
import type { EventSourceMappingStore, LeaseStore } from '../storage/index.ts';
import { MappingRunner } from './mapping-runner.ts';
import { EventSourceMappingService } from './mapping-service.ts';
import type { FunctionLookup, Invoker, QueueConsumer } from './ports.ts';
import { registerMappingRoute } from './routes/mapping-route.ts';
import type { PollerOptions } from './sqs-poller.ts';

export type { FunctionLookup, Invoker } from './ports.ts';
export type { PollerOptions } from './sqs-poller.ts';
export { EventSourceMappingService } from './mapping-service.ts';
export { MappingRunner } from './mapping-runner.ts';

export interface EventSourcesDeps {
  readonly store: EventSourceMappingStore;
  /** The queue service's consumer side. */
  readonly queues: QueueConsumer;
  readonly functions: FunctionLookup;
  readonly invoker: Invoker;
  readonly account: Account;
  readonly clock: Clock;
  readonly logger: Logger;
  /** A function's reserved concurrency (caps its mappings' batches in flight). */
  readonly reservedConcurrency?: (functionName: string) => Promise<number | undefined>;
  /** How idle the machine's CPUs were lately (0..1): pollers add batches only while there is room. */
  readonly cpuIdleShare?: () => number;
  /** A cluster's leases: one poller per mapping across the front ends. Absent all-in-one. */
  readonly leases?: { readonly store: LeaseStore; readonly holder: string } | undefined;
  readonly options?: Partial<PollerOptions> & { readonly scanMs?: number; readonly leaseMs?: number };
}

export interface EventSources {
  readonly service: EventSourceMappingService;
  readonly runner: MappingRunner;
  /** Adds the `/2015-03-31/event-source-mappings` routes. */
  register(app: FastifyInstance): void;
  start(): void;
  stop(): Promise<void>;
}

export function createEventSources(deps: EventSourcesDeps): EventSources {
  const logger = componentLogger(deps.logger, 'event-sources');
  const o = deps.options ?? {};
  const runner = new MappingRunner({
    store: deps.store,
    clock: deps.clock,
    logger,
    scanMs: o.scanMs ?? 1000,
    leases: deps.leases === undefined ? undefined : { ...deps.leases, leaseMs: o.leaseMs ?? 30_000 },
    poller: {
      queues: deps.queues,
      invoker: deps.invoker,
      logger,
      reservedConcurrency: deps.reservedConcurrency,
      cpuIdleShare: deps.cpuIdleShare,
      options: {
        waitTimeSeconds: o.waitTimeSeconds ?? 20,
        ceiling: o.ceiling ?? 100,
        throttleBaseMs: o.throttleBaseMs ?? 200,
        throttleMaxMs: o.throttleMaxMs ?? 10_000,
        errorBackoffMs: o.errorBackoffMs ?? 1000,
        scaleUpEveryMs: o.scaleUpEveryMs ?? 200,
        minIdleShare: o.minIdleShare ?? 0.2,
        freeConcurrency: o.freeConcurrency ?? 5,
      },
    },
  });
  const service = new EventSourceMappingService({ store: deps.store, queues: deps.queues, functions: deps.functions, account: deps.account, clock: deps.clock, changed: () => runner.kick() });
  return {
    service,
    runner,
    register: (app) => registerMappingRoute(app, service, deps.account),
    start: () => runner.start(),
    stop: () => runner.stop(),
  };
}
