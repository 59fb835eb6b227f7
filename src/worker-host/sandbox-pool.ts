import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Logger } from '../shared/index.ts';
import { LogCapture, type LogSink } from './log-capture.ts';
import type { PoolDemand } from './pool-demand.ts';
import { exitFailure } from './sandbox-failure.ts';
import type { RuntimeApiServer, RuntimeSessionHandle } from './runtime-api/index.ts';
import type { CellSpec, Sandbox, SandboxDriver, SandboxLimits } from './sandbox/sandbox-driver.ts';

/**
 * A cell: a sandbox in the Pooled state (started, function-agnostic) with its Runtime API
 * session and log capture. A ManagedSandbox takes it over when it leaves the pool.
 */
export interface PooledSandbox {
  readonly box: Sandbox;
  readonly session: RuntimeSessionHandle;
  readonly logs: LogCapture;
}

/** How to start a cell of one kind (for example `nodejs22`), minus its id. */
export type CellTemplate = Omit<CellSpec, 'id' | 'limits'>;

export interface SandboxPoolOptions {
  readonly driver: SandboxDriver;
  readonly runtimeApi: RuntimeApiServer;
  readonly logStore: LogSink;
  readonly logger: Logger;
  /** How many cells to keep ready per kind, from the recent cold starts. */
  readonly demand: PoolDemand;
  /** Limits a cell runs with until it is specialised. */
  readonly poolLimits: SandboxLimits;
  /** How idle the machine's CPUs were lately (0..1); the pool refills only while they have room. Default: always idle. */
  readonly cpuIdleShare?: () => number;
  /** Most refill cells starting at once (default: the machine's CPUs). */
  readonly refillBatch?: number;
}

/**
 * How long after taking a cell the pool starts its replacement. Starting a cell
 * spawns processes and sets up cgroups and network on the host's event loop (a few
 * ms of synchronous work); deferring it keeps that work off the cold start that took
 * the cell (measured: cold start p50 14 ms -> 10 ms).
 */
const REFILL_DELAY_MS = 50;
/**
 * A refill starts cells only while the CPUs were idle at least this share of the last ~50 ms, a
 * batch at a time: cells started ahead of demand must not take the CPUs from the invocations being
 * served. Measured: SDK invokes at concurrency 32 for 1.25 s right after the 31 cold starts that grew
 * the pool, 939-1,075/s while every missing cell started at once against 1,253-1,404/s with this gate.
 */
const REFILL_MIN_IDLE_SHARE = 0.5;
/** How often cells beyond a kind's target (its cold starts have slowed down) are given up. */
const TRIM_INTERVAL_MS = 2_000;

/** A take that found no ready cell, served by the first of its kind's starting cells to be ready. */
interface Waiter {
  readonly resolve: (cell: PooledSandbox) => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Pre-started, function-agnostic sandboxes ("stem cells") per runtime kind. A cold
 * start takes a ready cell and only loads the function's code into it; the pool
 * refills in the background, shortly after, to as many cells as its recent cold starts
 * ask for (PoolDemand), and gives up the extra ones when they slow down. A kind's pool
 * is filled from its first use on.
 *
 * A take that finds no ready cell starts one and waits for the first cell of its kind to
 * be ready, its own or another already starting: takes are served in arrival order
 * by whichever cells finish first. While takes wait, the pool does not refill: its
 * cells would compete with theirs for the CPUs (a burst of N cold starts starts N
 * cells, not N plus the pool's target); it refills once they are served, a batch of
 * cells at a time and only while the CPUs have room (REFILL_MIN_IDLE_SHARE).
 */
export class SandboxPool {
  readonly #options: SandboxPoolOptions;
  readonly #ready = new Map<string, PooledSandbox[]>();
  readonly #starting = new Map<string, number>();
  readonly #waiting = new Map<string, Waiter[]>();
  readonly #refillTimers = new Map<string, NodeJS.Timeout>();
  readonly #trimTimer: NodeJS.Timeout;
  #closed = false;

  constructor(options: SandboxPoolOptions) {
    this.#options = options;
    this.#trimTimer = setInterval(() => this.#trim(), TRIM_INTERVAL_MS);
    this.#trimTimer.unref();
  }

  /** A ready cell of this kind, or the first to be ready of those starting (one more is started for this take). */
  async take(kind: string, template: CellTemplate): Promise<PooledSandbox> {
    if (this.#closed) throw new Error('the sandbox pool is closed');
    const ready = this.#ready.get(kind);
    let cell: PooledSandbox | undefined;
    while (ready && ready.length > 0 && cell === undefined) {
      const c = ready.shift()!;
      if (c.session.state === 'Started') cell = c;
      else {
        c.session.close(); // first: it holds the sandbox's Runtime API listener, which must not outlive the sandbox's network slot
        this.#discard(c);
      }
    }
    this.#options.demand.recordTake(kind, Date.now());
    this.#refillSoon(kind, template);
    if (cell !== undefined) return cell;
    const served = new Promise<PooledSandbox>((resolve, reject) => this.#waitersOf(kind).push({ resolve, reject }));
    this.#launch(kind, template);
    return served;
  }

  #waitersOf(kind: string): Waiter[] {
    let list = this.#waiting.get(kind);
    if (!list) this.#waiting.set(kind, (list = []));
    return list;
  }

  /** Starts one cell of `kind` in the background: it serves the oldest waiting take, or joins the ready cells. */
  #launch(kind: string, template: CellTemplate): void {
    this.#starting.set(kind, (this.#starting.get(kind) ?? 0) + 1);
    this.start(template).then(
      (cell) => {
        this.#starting.set(kind, this.#starting.get(kind)! - 1);
        const waiter = this.#waitersOf(kind).shift();
        if (waiter !== undefined) return waiter.resolve(cell);
        if (this.#closed) return (cell.session.close(), this.#discard(cell));
        this.#toBackground(cell);
        let list = this.#ready.get(kind);
        if (!list) this.#ready.set(kind, (list = []));
        list.push(cell);
      },
      (err: unknown) => {
        const starting = this.#starting.get(kind)! - 1;
        this.#starting.set(kind, starting);
        const waiters = this.#waitersOf(kind);
        // every waiting take keeps a cell of its own on the way; one too many waits now
        if (waiters.length > starting) waiters.shift()!.reject(err);
        else this.#options.logger.warn({ err, kind }, 'pool cell failed to start');
      },
    );
  }

  /** Starts one cell now. Rejects, leaving nothing behind, if the sandbox cannot start. */
  async start(template: CellTemplate): Promise<PooledSandbox> {
    const id = `c${randomUUID().replaceAll('-', '').slice(0, 20)}`;
    const session = this.#options.runtimeApi.open(id);
    try {
      const box = await this.#options.driver.start({ ...template, id, limits: this.#options.poolLimits }, { bindRuntimeApi: (b) => this.#options.runtimeApi.bind(id, b) });
      const logs = new LogCapture(this.#options.logStore, [box.stdout, box.stderr], (line) => this.#options.logger.warn({ sandbox: id, line }, 'pool cell output'));
      void box.exited.then((exit) => session.fail(exitFailure(exit)));
      return { box, session, logs };
    } catch (err) {
      session.close();
      throw err;
    }
  }

  /**
   * A cell that waits in the pool warms its runtime up (the Node client's preloads and rehearsed
   * invocations, ~30 ms of CPU): at the lowest CPU weight, so that it takes only CPU that running
   * functions leave idle. Its specialization writes the function's own weight back; a cell started
   * for a waiting take never waits, so it keeps a full CPU's weight.
   */
  #toBackground(cell: PooledSandbox): void {
    try {
      cell.box.setLimits?.({ ...this.#options.poolLimits, background: true });
    } catch (err) {
      this.#options.logger.warn({ err, sandbox: cell.box.id }, 'pool cell could not be set to background CPU weight');
    }
  }

  #refillSoon(kind: string, template: CellTemplate): void {
    if (this.#closed || this.#refillTimers.has(kind)) return;
    const timer = setTimeout(() => {
      this.#refillTimers.delete(kind);
      this.#refill(kind, template);
    }, REFILL_DELAY_MS);
    timer.unref();
    this.#refillTimers.set(kind, timer);
  }

  #refill(kind: string, template: CellTemplate): void {
    if (this.#closed) return;
    // takes still waiting for their cells come first: look again once they are served
    if (this.#waitersOf(kind).length > 0) return this.#refillSoon(kind, template);
    const starting = this.#starting.get(kind) ?? 0;
    const missing = this.#options.demand.target(kind, Date.now()) - (this.#ready.get(kind)?.length ?? 0) - starting;
    if (missing <= 0) return;
    // then the last batch, still starting, and the invocations keeping the CPUs busy
    if (starting > 0 || (this.#options.cpuIdleShare?.() ?? 1) < REFILL_MIN_IDLE_SHARE) return this.#refillSoon(kind, template);
    const batch = Math.min(missing, this.#options.refillBatch ?? availableParallelism());
    for (let i = 0; i < batch; i++) this.#launch(kind, template);
    if (batch < missing) this.#refillSoon(kind, template);
  }

  /** Gives up ready cells beyond each kind's target, oldest first. */
  #trim(): void {
    const now = Date.now();
    for (const [kind, cells] of this.#ready) {
      const excess = cells.length - this.#options.demand.target(kind, now);
      if (excess <= 0) continue;
      for (const c of cells.splice(0, excess)) {
        c.session.close();
        this.#discard(c);
      }
    }
  }

  /** Destroys a cell in the background; a teardown that fails is logged (it must not end Flint). */
  #discard(c: PooledSandbox): void {
    c.box.destroy().catch((err: unknown) => this.#options.logger.warn({ err }, 'pool cell teardown failed'));
  }

  /** Ready cells per kind, for status pages. */
  sizes(): Record<string, number> {
    return Object.fromEntries([...this.#ready].map(([k, v]) => [k, v.length]));
  }

  /**
   * What the ready cells cost in memory now, as their cgroups count it (0 for drivers that
   * cannot tell). Bounded by the demand's cap of cells per kind in use, each held to `poolLimits`.
   */
  memoryBytes(): number {
    let bytes = 0;
    for (const cells of this.#ready.values()) for (const c of cells) bytes += c.box.memoryUsage()?.currentBytes ?? 0;
    return bytes;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#trimTimer);
    for (const timer of this.#refillTimers.values()) clearTimeout(timer);
    this.#refillTimers.clear();
    const cells = [...this.#ready.values()].flat();
    this.#ready.clear();
    for (const waiter of [...this.#waiting.values()].flat()) waiter.reject(new Error('the sandbox pool is closed'));
    this.#waiting.clear();
    await Promise.allSettled(cells.map((c) => (c.session.close(), c.box.destroy())));
  }
}
