import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { FunctionVersionConfig, HostSandbox, InitializationType, WorkerHostPort } from '../model/index.ts';
import type { Clock, Logger } from '../shared/index.ts';
import type { CellPool, CellTemplate } from './cell-pool.ts';
import type { CodeCache } from './code-cache.ts';
import { ManagedSandbox } from './managed-sandbox.ts';
import type { RuntimeSessionHandle } from './runtime-api/index.ts';
import { limitsFor } from './sandbox-limits.ts';
import type { SandboxLimits } from './sandbox/sandbox-driver.ts';

/** What the worker host needs to know about runtimes (the runtime store). */
export interface RuntimeCatalog {
  /** Pool kind whose cells can run this runtime (runtimes on the same binary share cells). */
  kindOf(runtime: string): string;
  /** How to start a cell of that kind. */
  template(kind: string): CellTemplate;
  /** The complete environment a function version's runtime sees (spec section 3). */
  functionEnvironment(version: FunctionVersionConfig, initType: InitializationType, logStreamName: string, taskRoot: string): Record<string, string>;
  /** A new log stream name in Lambda's `YYYY/MM/DD/[VERSION]<32 hex>` form. */
  logStreamName(version: string, nowMs: number): string;
}

export interface WorkerHostOptions {
  readonly id: string;
  readonly pool: CellPool;
  readonly codeCache: CodeCache;
  readonly runtimes: RuntimeCatalog;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly initTimeoutMs: number;
}

/**
 * Runs sandboxes on this machine: takes a pre-started cell for the runtime,
 * gives it the version's unpacked code and limits, delivers the function
 * environment, and waits for the init phase. Init failures are not thrown: the
 * sandbox serves them as the outcome of its first invocation, like Lambda.
 */
export class WorkerHost implements WorkerHostPort {
  readonly id: string;
  readonly #o: WorkerHostOptions;
  readonly #cpus = availableParallelism();
  readonly #live = new Set<ManagedSandbox>();
  /** Memory of sandboxes being created (not yet in #live). */
  #startingMb = 0;

  constructor(options: WorkerHostOptions) {
    this.#o = options;
    this.id = options.id;
  }

  async createSandbox(version: FunctionVersionConfig, initType: InitializationType): Promise<HostSandbox> {
    this.#startingMb += version.memorySizeMb; // counts from now on, so placement never hands this memory out twice
    try {
      return await this.#create(version, initType);
    } finally {
      this.#startingMb -= version.memorySizeMb;
    }
  }

  async #create(version: FunctionVersionConfig, initType: InitializationType): Promise<ManagedSandbox> {
    const { pool, codeCache, runtimes, clock } = this.#o;
    const kind = runtimes.kindOf(version.runtime ?? 'provided.al2023');
    const [codeDir, cell] = await Promise.all([codeCache.unpacked(version.codeSha256Hex), pool.take(kind, runtimes.template(kind))]);
    const logger = this.#o.logger.child({ sandbox: cell.box.id, function: version.functionName, version: version.version });
    try {
      const started = performance.now();
      const limits = limitsFor(version.memorySizeMb, version.ephemeralStorageMb, this.#cpus);
      // Lambda boosts the init phase: a full CPU until init is done, then the function's share.
      const boost = cell.box.setLimits !== undefined;
      await cell.box.specialize({ codeDir }, boost ? initPhaseLimits(limits) : limits);
      const stream = runtimes.logStreamName(version.version, clock.now());
      cell.logs.direct(version.loggingConfig.LogGroup, stream);
      cell.session.specialize({ env: runtimes.functionEnvironment(version, initType, stream, cell.box.taskRoot), handler: version.handler ?? '' });
      const initError = await this.#initPhase(cell.session);
      if (boost) cell.box.setLimits!(limits);
      const initDurationMs = performance.now() - started;
      logger.debug({ initDurationMs, initType, initError }, 'sandbox initialised');
      const sandbox = new ManagedSandbox({
        ...{ hostId: this.id, box: cell.box, session: cell.session, logs: cell.logs, version, clock, logger, initError },
        // A provisioned sandbox's init is not an invoke's cold start: no Init Duration in its REPORT.
        initDurationMs: initType === 'on-demand' ? initDurationMs : undefined,
        onDestroyed: (s) => this.#live.delete(s),
      });
      this.#live.add(sandbox);
      return sandbox;
    } catch (err) {
      cell.session.close();
      await cell.box.destroy();
      throw err;
    }
  }

  /** Memory given to live and starting sandboxes, and how many live ones run `functionName`. */
  usage(functionName: string): { readonly memoryInUseMb: number; readonly sandboxesOfFunction: number } {
    let memoryInUseMb = this.#startingMb;
    let sandboxesOfFunction = 0;
    for (const s of this.#live) {
      memoryInUseMb += s.memoryMb;
      if (s.functionName === functionName) sandboxesOfFunction++;
    }
    return { memoryInUseMb, sandboxesOfFunction };
  }

  /** Waits for the runtime's init; answers the errorType of a failed init (the session keeps it for the first invoke). */
  async #initPhase(session: RuntimeSessionHandle): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => {
        session.fail({ errorType: 'Sandbox.Timedout', errorMessage: `Init phase timed out after ${(this.#o.initTimeoutMs / 1000).toFixed(2)} seconds` });
        resolve('Sandbox.Timedout');
      }, this.#o.initTimeoutMs);
    });
    const ready = session.ready().then(
      () => undefined,
      (err: unknown) => (err as { errorType?: string }).errorType ?? 'Runtime.Unknown',
    );
    try {
      return await Promise.race([ready, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The init phase runs with at least one full CPU (the function's memory and other limits stay). */
export function initPhaseLimits(limits: SandboxLimits): SandboxLimits {
  return { ...limits, cpuMillis: Math.max(limits.cpuMillis, FULL_CPU_MILLIS) };
}

const FULL_CPU_MILLIS = 1000;
