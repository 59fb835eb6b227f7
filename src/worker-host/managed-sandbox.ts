import { performance } from 'node:perf_hooks';
import { setImmediate as tick } from 'node:timers/promises';
import type { FunctionVersionConfig, HostSandbox, InitializationType, InvocationOutcome, InvocationRequest } from '../model/index.ts';
import type { Clock, Logger } from '../shared/index.ts';
import { logTail } from './invocation-log.ts';
import type { LogCapture } from './log-capture.ts';
import { invocationStatus, platformLogFor, type PlatformLog } from './platform-log.ts';
import type { RuntimeSessionHandle } from './runtime-api/index.ts';
import { exitFailure, timeoutFailure } from './sandbox-failure.ts';
import type { Sandbox, SandboxLimits } from './sandbox/sandbox-driver.ts';
import { awaitInit, initPhaseLimits } from './init-phase.ts';
import { SandboxStateMachine, type SandboxState } from './sandbox-state.ts';

export interface ManagedSandboxParts {
  readonly hostId: string;
  readonly box: Sandbox;
  readonly session: RuntimeSessionHandle;
  readonly logs: LogCapture;
  readonly version: FunctionVersionConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  /** A provisioned sandbox's first init is not an invoke's cold start: no Init Duration in its first REPORT. */
  readonly initType: InitializationType;
  /** The function's limits (a restarted runtime's init phase runs with a full CPU, then these). */
  readonly limits: SandboxLimits;
  readonly initTimeoutMs: number;
  /** Called once, when destruction starts (the sandbox's memory no longer counts on its host). */
  readonly onDestroyed: (sandbox: ManagedSandbox) => void;
}

/** What specialises a pooled sandbox for its version (besides the version itself). */
export interface SandboxSpecialization {
  /** Host directory of the version's unpacked code. */
  readonly codeDir: string;
  /** Host directory of the version's layers, merged in order (shown at /opt); none without layers. */
  readonly layersDir?: string | undefined;
  /** The complete function environment its runtime gets. */
  readonly env: Readonly<Record<string, string>>;
  /** Log stream its output goes to. */
  readonly logStream: string;
}

const BYTES_PER_MB = 1024 * 1024;
/**
 * The peak memory in REPORT is read from the kernel at most this often per
 * sandbox (always on the first invocation and after a failed one); a busy
 * sandbox's REPORT may lag its peak by that much.
 */
const PEAK_MEMORY_REFRESH_MS = 1000;

/**
 * One sandbox of one function version, and the one owner of its lifecycle (the
 * transition table in sandbox-state.ts): taken from the pool (Pooled), specialised and
 * initialised (Initializing), then serving (Idle / Busy) until Dead. Runs one invocation at a
 * time, enforces the timeout, turns exits into Lambda's platform errors, writes
 * START / END / REPORT. After a timeout or a runtime exit it restarts the runtime in
 * the same sandbox (same /tmp and cgroups) and runs the init phase again, as Lambda
 * does; it destroys itself when it can no longer serve (OOM kill, failed init, a
 * driver that cannot restart).
 */
export class ManagedSandbox implements HostSandbox {
  readonly id: string;
  readonly hostId: string;
  readonly memoryMb: number;
  readonly functionName: string;
  readonly #parts: ManagedSandboxParts;
  /** START / END / REPORT (or their JSON records) in the version's log format. */
  readonly #platform: PlatformLog;
  #initError: string | undefined;
  readonly #state: SandboxStateMachine;
  #pendingInitMs: number | undefined;
  /** Whether the current runtime finished its init phase (only then is a restart worth it). */
  #initialized = false;
  /** The restart of the runtime in progress; invocations wait for it. */
  #restarting: Promise<void> | undefined;
  #peakMemoryMb = 0;
  #peakReadMs = Number.NEGATIVE_INFINITY;
  #destroyed: Promise<void> | undefined;

  constructor(parts: ManagedSandboxParts) {
    this.#parts = parts;
    this.id = parts.box.id;
    this.hostId = parts.hostId;
    this.memoryMb = parts.version.memorySizeMb;
    this.functionName = parts.version.functionName;
    this.#state = new SandboxStateMachine(parts.logger, parts.clock.now());
    this.#platform = platformLogFor(parts.version.loggingConfig);
    this.#watchRuntime();
  }

  /** The errorType of a failed init phase (served as the first invocation's outcome); undefined when init succeeded. */
  get initError(): string | undefined {
    return this.#initError;
  }

  /**
   * Pooled -> Initializing -> Idle: loads the version's code and limits into the sandbox,
   * delivers the function environment and waits for the init phase (with at least a full
   * CPU, as Lambda boosts it). A failed init does not reject: it is kept in `initError` and
   * served by the first invocation. Rejects only when the sandbox cannot be specialised.
   */
  async initialize(spec: SandboxSpecialization): Promise<void> {
    const { box, session, logs, version, limits, clock, logger } = this.#parts;
    this.#state.transition('Initializing', clock.now(), 'specialise');
    const started = performance.now();
    const boost = box.setLimits !== undefined;
    await box.specialize({ codeDir: spec.codeDir, layersDir: spec.layersDir }, boost ? initPhaseLimits(limits) : limits);
    logs.direct(version.loggingConfig.LogGroup, spec.logStream);
    this.#platformLine(
      this.#platform.initStart(
        { initializationType: this.#parts.initType, runtimeVersion: version.runtime ?? 'provided', functionName: version.functionName, functionVersion: version.version },
        clock.now(),
      ),
    );
    session.specialize({ env: spec.env, handler: version.handler ?? '' });
    const initError = await awaitInit(session, this.#parts.initTimeoutMs);
    if (boost) box.setLimits!(limits);
    const initDurationMs = performance.now() - started;
    logger.debug({ initDurationMs, initType: this.#parts.initType, initError }, 'sandbox initialised');
    this.#initError = initError;
    this.#initialized = initError === undefined;
    this.#pendingInitMs = this.#parts.initType === 'on-demand' ? initDurationMs : undefined;
    if (this.#state.state === 'Initializing') this.#state.transition('Idle', clock.now(), initError);
  }

  /** Fails the session when the current runtime ends; one that ends while idle is restarted. */
  #watchRuntime(): void {
    const { box, session } = this.#parts;
    void box.exited.then((exit) => {
      session.fail(exitFailure(exit));
      // A runtime that died during init keeps its error for the first invocation, as in Lambda.
      if (this.#state.state === 'Idle' && this.#initialized) this.#afterFailure(exit.oomKilled ? 'Runtime.OutOfMemory' : 'Runtime.ExitError');
    });
  }

  /** The lifecycle state (see sandbox-state.ts). */
  get state(): SandboxState {
    return this.#state.state;
  }

  /** False once Dead. A sandbox restarting its runtime is alive: invocations wait for the restart. */
  get alive(): boolean {
    return this.#state.state !== 'Dead';
  }

  /** Whether the runtime can take another invocation (the Runtime API session's view). */
  #runtimeServes(): boolean {
    const s = this.#parts.session.state;
    return s !== 'Failed' && s !== 'Closed' && s !== 'InitError';
  }

  async invoke(request: InvocationRequest): Promise<InvocationOutcome> {
    if (this.#restarting) await this.#restarting;
    const { session, logs, version, clock } = this.#parts;
    this.#state.transition('Busy', clock.now(), request.requestId);
    logs.beginInvocation();
    this.#platformLine(this.#platform.start(request.requestId, version.version, clock.now()));
    const started = performance.now();
    const timeoutMs = version.timeoutSec * 1000;
    const timer = setTimeout(() => session.fail(timeoutFailure(version.timeoutSec)), timeoutMs);
    let outcome;
    try {
      outcome = await session.invoke({
        requestId: request.requestId,
        payload: request.payload,
        deadlineMs: clock.now() + timeoutMs,
        invokedFunctionArn: request.invokedFunctionArn,
        clientContext: request.clientContext,
        sink: request.responseSink,
      });
    } finally {
      clearTimeout(timer);
    }
    const durationMs = performance.now() - started;
    await tick(); // let output the runtime flushed before answering reach the capture
    const initDurationMs = this.#pendingInitMs;
    this.#pendingInitMs = undefined;
    const maxMemoryUsedMb = this.#maxMemoryUsedMb(outcome.functionError !== undefined);
    const status = invocationStatus(outcome.errorType, outcome.functionError !== undefined);
    this.#platformLine(this.#platform.runtimeDone(request.requestId, status, durationMs, clock.now()));
    this.#platformLine(
      this.#platform.report(
        {
          requestId: request.requestId,
          durationMs,
          memorySizeMb: version.memorySizeMb,
          maxMemoryUsedMb,
          initDurationMs,
          status: status === 'timeout' ? 'timeout' : undefined,
          outcome: status,
        },
        clock.now(),
      ),
    );
    const logText = logs.endInvocation();
    await this.#writeLogs();
    if (this.#runtimeServes()) this.#state.transition('Idle', clock.now());
    else if (this.#state.state === 'Busy') this.#afterFailure(outcome.errorType ?? 'runtime ended');
    return {
      ...outcome,
      logResult: request.tailLog ? logTail(logText) : undefined,
      durationMs,
      initDurationMs,
    };
  }

  #platformLine(line: string | undefined): void {
    if (line !== undefined) this.#parts.logs.platform(line);
  }

  /**
   * The runtime can no longer serve (Busy or Idle): Resetting -> Initializing -> Idle, restarting
   * it in this sandbox after a timeout or an exit of a runtime that had finished its init; Dead
   * after an OOM kill, a failed init, or when the driver cannot restart runtimes.
   */
  #afterFailure(reason: string): void {
    const restartable = this.#parts.box.restartRuntime !== undefined && this.#initialized && this.#parts.session.state === 'Failed';
    if (!restartable || reason === 'Runtime.OutOfMemory') {
      void this.destroy(reason);
      return;
    }
    this.#state.transition('Resetting', this.#parts.clock.now(), reason);
    this.#restarting = this.#restartRuntime().finally(() => (this.#restarting = undefined));
  }

  async #restartRuntime(): Promise<void> {
    const { box, session, limits, initTimeoutMs, logger, clock } = this.#parts;
    let started = performance.now();
    try {
      await box.restartRuntime!(() => {
        // every process of the old runtime is gone; the sandbox stays
        this.#state.transition('Initializing', clock.now(), 'runtime restart');
        session.restart();
        box.setLimits?.(initPhaseLimits(limits));
        started = performance.now();
      });
      this.#watchRuntime();
      const initError = await awaitInit(session, initTimeoutMs);
      box.setLimits?.(limits);
      this.#pendingInitMs = performance.now() - started;
      this.#initialized = initError === undefined;
      logger.debug({ initDurationMs: this.#pendingInitMs, initError }, 'runtime restarted');
      if (this.#state.state === 'Initializing') this.#state.transition('Idle', clock.now());
    } catch (err) {
      logger.warn({ err }, 'runtime restart failed');
      void this.destroy('runtime restart failed');
    }
  }

  /** Peak memory of the sandbox in MB, re-read when stale or when asked to. */
  #maxMemoryUsedMb(fresh: boolean): number {
    const now = performance.now();
    if (fresh || now - this.#peakReadMs >= PEAK_MEMORY_REFRESH_MS) {
      const usage = this.#parts.box.memoryUsage();
      this.#peakMemoryMb = usage ? Math.ceil(usage.peakBytes / BYTES_PER_MB) : 0;
      this.#peakReadMs = now;
    }
    return this.#peakMemoryMb;
  }

  /**
   * Writes the invocation's log lines (one append, no fsync) before its result is
   * returned, so a crash of Flint right after can lose no line of a completed
   * invocation. A failed write is logged, never the invocation's failure.
   */
  async #writeLogs(): Promise<void> {
    await this.#parts.logs.flush().catch((err: unknown) => this.#parts.logger.warn({ err }, 'log flush failed'));
  }

  destroy(reason: string): Promise<void> {
    this.#destroyed ??= (async () => {
      if (this.#state.state !== 'Dead') this.#state.transition('Dead', this.#parts.clock.now(), reason);
      this.#parts.onDestroyed(this);
      this.#parts.session.fail({ errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited without providing a reason' });
      this.#parts.session.close();
      // a teardown that fails (a cgroup that stays busy) is logged: callers fire and forget, and it must not end Flint
      await this.#parts.box.destroy().catch((err: unknown) => this.#parts.logger.error({ err, reason }, 'sandbox teardown failed'));
      await this.#parts.logs.flush().catch(() => undefined);
    })();
    return this.#destroyed;
  }
}
