import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { InvokeObserver } from '../frontend/index.ts';


/** Live figures read when metrics are scraped. */
export interface GaugeSources {
  sandboxesByState(): Record<string, number>;
  poolCells(): number;
  poolMemoryBytes(): number;
  concurrencyInUse(): number;
  /** The async queue: depth, oldest event age, dead letters, and counters kept since the data directory was made. */
  asyncQueue(): Promise<{ readonly queueDepth: number; readonly oldestEventAgeMs: number; readonly deadLetters: number; readonly counters: Readonly<Record<string, number>> }>;
  /** Every worker host this front end places on (the in-process one, joined ones). */
  hosts(): ReadonlyArray<HostFigures>;
  /** The live front ends of the cluster (this one alone when not clustered). */
  frontEnds(): ReadonlyArray<{ readonly id: string; readonly endpoint: string; readonly startedMs: number }>;
}

/** One worker host as the metrics show it. */
export interface HostFigures {
  readonly id: string;
  readonly healthy: boolean;
  readonly draining: boolean;
  readonly memoryBudgetMb: number;
  readonly memoryInUseMb: number;
  readonly sandboxes: number;
  /** Since the host registered (0 for the in-process host). */
  readonly leaseAgeMs?: number;
}

const DURATION_BUCKETS_S = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];

/**
 * Flint's Prometheus metrics, in a registry of its own (never prom-client's global):
 * invocations, errors, throttles, cold starts, init and invoke duration histograms,
 * sandboxes by state, pool size and concurrency in use.
 */
export class FlintMetrics implements InvokeObserver {
  readonly registry = new Registry();
  readonly #invocations = new Counter({ name: 'flint_invocations_total', help: 'Invocations by function and result', labelNames: ['function', 'result'], registers: [this.registry] });
  readonly #throttles = new Counter({ name: 'flint_throttles_total', help: 'Invocations refused with 429, by reason', labelNames: ['function', 'reason'], registers: [this.registry] });
  readonly #coldStarts = new Counter({ name: 'flint_cold_starts_total', help: 'Invocations that started a sandbox', labelNames: ['function'], registers: [this.registry] });
  readonly #invokeDuration = new Histogram({ name: 'flint_invoke_duration_seconds', help: 'Invocation duration in the sandbox', labelNames: ['function'], buckets: DURATION_BUCKETS_S, registers: [this.registry] });
  readonly #initDuration = new Histogram({ name: 'flint_init_duration_seconds', help: 'Sandbox init phase duration (cold starts)', labelNames: ['function'], buckets: DURATION_BUCKETS_S, registers: [this.registry] });

  constructor(sources: GaugeSources) {
    new Gauge({
      name: 'flint_sandboxes',
      help: 'Sandboxes by state',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [state, n] of Object.entries(sources.sandboxesByState())) this.set({ state }, n);
      },
    });
    new Gauge({ name: 'flint_pool_cells', help: 'Pre-started function-agnostic sandboxes ready', registers: [this.registry], collect() { this.set(sources.poolCells()); } });
    new Gauge({ name: 'flint_pool_memory_bytes', help: 'Memory the ready pool cells use, as their cgroups count it', registers: [this.registry], collect() { this.set(sources.poolMemoryBytes()); } });
    new Gauge({ name: 'flint_async_queue_depth', help: 'Accepted async events not yet finished', registers: [this.registry], async collect() { this.set((await sources.asyncQueue()).queueDepth); } });
    new Gauge({ name: 'flint_async_oldest_event_age_seconds', help: 'Age of the oldest queued async event', registers: [this.registry], async collect() { this.set((await sources.asyncQueue()).oldestEventAgeMs / 1000); } });
    new Gauge({ name: 'flint_async_dead_letters', help: 'Events in the dead-letter store', registers: [this.registry], async collect() { this.set((await sources.asyncQueue()).deadLetters); } });
    new Gauge({
      name: 'flint_async_events',
      help: 'Async event outcomes since the data directory was created (accepted, retried, droppedByAge, deadLettered...)',
      labelNames: ['counter'],
      registers: [this.registry],
      async collect() {
        for (const [counter, n] of Object.entries((await sources.asyncQueue()).counters)) this.set({ counter }, n);
      },
    });
    new Gauge({ name: 'flint_concurrency_in_use', help: 'Executions in flight', registers: [this.registry], collect() { this.set(sources.concurrencyInUse()); } });
    const perHost = (name: string, help: string, value: (h: HostFigures) => number): void => {
      new Gauge({
        name,
        help,
        labelNames: ['host'],
        registers: [this.registry],
        collect() {
          this.reset();
          for (const h of sources.hosts()) this.set({ host: h.id }, value(h));
        },
      });
    };
    perHost('flint_host_healthy', 'Whether a worker host takes placements (1) or not (0: missed heartbeats, unreachable or draining)', (h) => (h.healthy && !h.draining ? 1 : 0));
    perHost('flint_host_memory_budget_bytes', "Memory a worker host may give to sandboxes (by their MemorySize)", (h) => h.memoryBudgetMb * 2 ** 20);
    perHost('flint_host_memory_in_use_bytes', 'Memory given to the sandboxes of a worker host (by their MemorySize)', (h) => h.memoryInUseMb * 2 ** 20);
    perHost('flint_host_sandboxes', 'Sandboxes on a worker host', (h) => h.sandboxes);
    perHost('flint_host_lease_age_seconds', 'Time since a worker host registered (its lease started)', (h) => (h.leaseAgeMs ?? 0) / 1000);
    new Gauge({
      name: 'flint_front_end_started_seconds',
      help: 'Live front ends of the cluster, by id and endpoint, with the time each started (Unix seconds)',
      labelNames: ['front_end', 'endpoint'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const f of sources.frontEnds()) this.set({ front_end: f.id, endpoint: f.endpoint }, f.startedMs / 1000);
      },
    });
  }

  invoked(functionName: string, result: 'success' | 'error', cold: boolean, durationMs: number, initDurationMs: number | undefined): void {
    this.#invocations.inc({ function: functionName, result });
    this.#invokeDuration.observe({ function: functionName }, durationMs / 1000);
    if (cold) this.#coldStarts.inc({ function: functionName });
    if (initDurationMs !== undefined) this.#initDuration.observe({ function: functionName }, initDurationMs / 1000);
  }

  throttled(functionName: string, reason: string): void {
    this.#throttles.inc({ function: functionName, reason });
  }
}
