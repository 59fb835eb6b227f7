import { performance } from 'node:perf_hooks';
import { setImmediate as tick } from 'node:timers/promises';
import type { FunctionVersionConfig, HostSandbox, InvocationOutcome, InvocationRequest } from '../model/index.ts';
import type { Clock, Logger } from '../shared/index.ts';
import { endLine, logTail, reportLine, startLine } from './invocation-log.ts';
import type { LogCapture } from './log-capture.ts';
import type { RuntimeSessionHandle } from './runtime-api/index.ts';
import { exitFailure, timeoutFailure } from './sandbox-failure.ts';
import type { Sandbox } from './sandbox/sandbox-driver.ts';
import { SandboxStateMachine } from './sandbox-state.ts';

export interface ManagedSandboxParts {
  readonly hostId: string;
  readonly box: Sandbox;
  readonly session: RuntimeSessionHandle;
  readonly logs: LogCapture;
  readonly version: FunctionVersionConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long the init phase took; reported once, on the first invocation (undefined: never, e.g. provisioned). */
  readonly initDurationMs: number | undefined;
  /** The errorType of a failed init phase. */
  readonly initError: string | undefined;
  /** Called once, when destruction starts (the sandbox's memory no longer counts on its host). */
  readonly onDestroyed: (sandbox: ManagedSandbox) => void;
}

const BYTES_PER_MB = 1024 * 1024;
/**
 * Logs reach the log store at most this often per sandbox (the first invocation
 * after a quiet spell flushes at once), so a busy sandbox does not pay a file
 * append per invocation.
 */
const LOG_FLUSH_INTERVAL_MS = 100;
/**
 * The peak memory in REPORT is read from the kernel at most this often per
 * sandbox (always on the first invocation and after a failed one); a busy
 * sandbox's REPORT may lag its peak by that much.
 */
const PEAK_MEMORY_REFRESH_MS = 1000;

/**
 * One specialised sandbox as the worker manager sees it: runs one invocation at a
 * time, enforces the timeout, turns exits into Lambda's platform errors, writes
 * START / END / REPORT, and destroys itself when it can no longer serve.
 */
export class ManagedSandbox implements HostSandbox {
  readonly id: string;
  readonly hostId: string;
  readonly memoryMb: number;
  readonly functionName: string;
  readonly initError: string | undefined;
  readonly #p: ManagedSandboxParts;
  readonly #state: SandboxStateMachine;
  #pendingInitMs: number | undefined;
  #invoked = false;
  #lastFlushMs = Number.NEGATIVE_INFINITY;
  #flushTimer: NodeJS.Timeout | undefined;
  #peakMemoryMb = 0;
  #peakReadMs = Number.NEGATIVE_INFINITY;
  #destroyed: Promise<void> | undefined;

  constructor(parts: ManagedSandboxParts) {
    this.#p = parts;
    this.id = parts.box.id;
    this.hostId = parts.hostId;
    this.memoryMb = parts.version.memorySizeMb;
    this.functionName = parts.version.functionName;
    this.initError = parts.initError;
    this.#pendingInitMs = parts.initDurationMs;
    this.#state = new SandboxStateMachine('Idle', parts.logger, parts.clock.now());
    void parts.box.exited.then((exit) => {
      parts.session.fail(exitFailure(exit));
      // A runtime that died during init keeps its error for the first invocation, as in Lambda.
      if (this.#state.state === 'Idle' && this.#invoked) void this.destroy('runtime exited while idle');
    });
  }

  get alive(): boolean {
    const s = this.#p.session.state;
    return this.#state.state !== 'Dead' && s !== 'Failed' && s !== 'Closed' && s !== 'InitError';
  }

  async invoke(request: InvocationRequest): Promise<InvocationOutcome> {
    const { session, logs, version, clock } = this.#p;
    this.#state.transition('Busy', clock.now(), request.requestId);
    logs.beginInvocation();
    logs.platform(startLine(request.requestId, version.version));
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
      });
    } finally {
      clearTimeout(timer);
    }
    const durationMs = performance.now() - started;
    await tick(); // let output the runtime flushed before answering reach the capture
    const initDurationMs = this.#pendingInitMs;
    this.#pendingInitMs = undefined;
    this.#invoked = true;
    const maxMemoryUsedMb = this.#maxMemoryUsedMb(outcome.kind === 'error');
    logs.platform(endLine(request.requestId));
    logs.platform(
      reportLine({
        requestId: request.requestId,
        durationMs,
        memorySizeMb: version.memorySizeMb,
        maxMemoryUsedMb,
        initDurationMs,
        status: outcome.kind === 'error' && outcome.errorType === 'Sandbox.Timedout' ? 'timeout' : undefined,
      }),
    );
    const logText = logs.endInvocation();
    this.#flushLogs();
    if (this.alive) this.#state.transition('Idle', clock.now());
    else void this.destroy(outcome.kind === 'error' ? outcome.errorType : 'runtime ended');
    return {
      payload: outcome.payload,
      functionError: outcome.kind === 'error' ? 'Unhandled' : undefined,
      errorType: outcome.kind === 'error' ? outcome.errorType : undefined,
      logResult: request.tailLog ? logTail(logText) : undefined,
      durationMs,
      initDurationMs,
    };
  }

  /** Peak memory of the sandbox in MB, re-read when stale or when asked to. */
  #maxMemoryUsedMb(fresh: boolean): number {
    const now = performance.now();
    if (fresh || now - this.#peakReadMs >= PEAK_MEMORY_REFRESH_MS) {
      const usage = this.#p.box.memoryUsage();
      this.#peakMemoryMb = usage ? Math.ceil(usage.peakBytes / BYTES_PER_MB) : 0;
      this.#peakReadMs = now;
    }
    return this.#peakMemoryMb;
  }

  /** Flushes now after a quiet spell, else once the interval has passed. */
  #flushLogs(): void {
    if (this.#flushTimer !== undefined) return;
    const waitMs = this.#lastFlushMs + LOG_FLUSH_INTERVAL_MS - performance.now();
    if (waitMs <= 0) return this.#flushNow();
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = undefined;
      this.#flushNow();
    }, waitMs);
    this.#flushTimer.unref();
  }

  #flushNow(): void {
    this.#lastFlushMs = performance.now();
    void this.#p.logs.flush().catch((err: unknown) => this.#p.logger.warn({ err }, 'log flush failed'));
  }

  destroy(reason: string): Promise<void> {
    this.#destroyed ??= (async () => {
      clearTimeout(this.#flushTimer);
      if (this.#state.state !== 'Dead') this.#state.transition('Dead', this.#p.clock.now(), reason);
      this.#p.onDestroyed(this);
      this.#p.session.fail({ errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited without providing a reason' });
      this.#p.session.close();
      await this.#p.box.destroy();
      await this.#p.logs.flush().catch(() => undefined);
    })();
    return this.#destroyed;
  }
}
