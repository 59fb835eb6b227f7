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
