import { availableParallelism } from 'node:os';
import type { FunctionVersionConfig, HostSandbox, InitializationType, SandboxCredentials, WorkerHostPort } from '../model/index.ts';
import type { Clock, Logger } from '../shared/index.ts';
import type { SandboxPool, CellTemplate } from './sandbox-pool.ts';
import type { CodeCache } from './code-cache.ts';
import type { LayerCache } from './layer-cache.ts';
import { ManagedSandbox } from './managed-sandbox.ts';
import { limitsFor } from './sandbox-limits.ts';

/** What the worker host needs to know about runtimes (the runtime store). */
export interface RuntimeCatalog {
  /** Pool kind whose cells can run this runtime (runtimes on the same binary share cells). */
  kindOf(runtime: string): string;
  /** How to start a cell of that kind. */
  template(kind: string): CellTemplate;
  /** The complete environment a function version's runtime sees (spec section 3). */
  functionEnvironment(version: FunctionVersionConfig, initType: InitializationType, logStreamName: string, taskRoot: string, credentials?: SandboxCredentials): Record<string, string>;
  /** A new log stream name in Lambda's `YYYY/MM/DD/[VERSION]<32 hex>` form. */
  logStreamName(version: string, nowMs: number): string;
}

export interface WorkerHostOptions {
  readonly id: string;
  readonly pool: SandboxPool;
  readonly codeCache: CodeCache;
  /** Each version's /opt (its layers merged in order). */
  readonly layerCache: LayerCache;
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
  readonly #options: WorkerHostOptions;
  readonly #cpus = availableParallelism();
  readonly #live = new Set<ManagedSandbox>();
  /** Memory of sandboxes being created (not yet in #live). */
  #startingMb = 0;

  constructor(options: WorkerHostOptions) {
    this.#options = options;
    this.id = options.id;
  }

  async createSandbox(version: FunctionVersionConfig, initType: InitializationType, credentials?: SandboxCredentials): Promise<HostSandbox> {
    this.#startingMb += version.memorySizeMb; // counts from now on, so placement never hands this memory out twice
    try {
      return await this.#create(version, initType, credentials);
    } finally {
      this.#startingMb -= version.memorySizeMb;
    }
  }

  async #create(version: FunctionVersionConfig, initType: InitializationType, credentials: SandboxCredentials | undefined): Promise<ManagedSandbox> {
    const { pool, codeCache, layerCache, runtimes, clock } = this.#options;
    const kind = runtimes.kindOf(version.runtime ?? 'provided.al2023');
    const [codeDir, layersDir, cell] = await Promise.all([
      codeCache.unpacked(version.codeSha256Hex),
      layerCache.optDir(version.layers),
      pool.take(kind, runtimes.template(kind)),
    ]);
    const logger = this.#options.logger.child({ sandbox: cell.box.id, function: version.functionName, version: version.version });
    const sandbox = new ManagedSandbox({
      hostId: this.id, box: cell.box, session: cell.session, logs: cell.logs, version, clock, logger, initType,
      limits: limitsFor(version.memorySizeMb, version.ephemeralStorageMb, this.#cpus),
      initTimeoutMs: this.#options.initTimeoutMs,
      onDestroyed: (s) => this.#live.delete(s),
    });
    try {
      const logStream = runtimes.logStreamName(version.version, clock.now());
      await sandbox.initialize({ codeDir, layersDir, logStream, env: runtimes.functionEnvironment(version, initType, logStream, cell.box.taskRoot, credentials) });
      this.#live.add(sandbox);
      return sandbox;
    } catch (err) {
      await sandbox.destroy('specialisation failed');
      throw err;
    }
  }

  /** Live sandboxes on this host. */
  get sandboxCount(): number {
    return this.#live.size;
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
}
