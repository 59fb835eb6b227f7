/**
 * The platform's own log lines for one function version, in its LoggingConfig's format:
 * Text gives Lambda's START / END / REPORT lines (invocation-log.ts); JSON gives the
 * Telemetry API's records (`{"time", "type": "platform.start", "record": {...}}`, one per line)
 * filtered by SystemLogLevel as Lambda maps them: initStart, start and report are INFO,
 * runtimeDone is DEBUG. Pure: a line, or undefined when the format or level drops it.
 */
import type { LoggingConfig } from '../model/index.ts';
import { billedDurationMs, endLine, reportLine, startLine, type ReportFigures } from './invocation-log.ts';

export interface InitStartFigures {
  readonly initializationType: string;
  readonly runtimeVersion: string;
  readonly functionName: string;
  readonly functionVersion: string;
}

/** What ended an invocation, as the Telemetry API names it. */
export type InvocationStatus = 'success' | 'failure' | 'error' | 'timeout';

export interface PlatformLog {
  initStart(f: InitStartFigures, nowMs: number): string | undefined;
  start(requestId: string, version: string, nowMs: number): string | undefined;
  runtimeDone(requestId: string, status: InvocationStatus, durationMs: number, nowMs: number): string | undefined;
  report(f: ReportFigures & { readonly outcome: InvocationStatus }, nowMs: number): string | undefined;
}

const SYSTEM_LEVELS = ['DEBUG', 'INFO', 'WARN'] as const;

/** The Telemetry API's status of an invocation from its outcome's errorType. */
export function invocationStatus(errorType: string | undefined, functionError: boolean): InvocationStatus {
  if (errorType === 'Sandbox.Timedout') return 'timeout';
  if (errorType === 'Runtime.ExitError' || errorType === 'Runtime.OutOfMemory') return 'error';
  return functionError ? 'failure' : 'success';
}

const TEXT: PlatformLog = {
  initStart: () => undefined,
  start: (requestId, version) => startLine(requestId, version),
  runtimeDone: (requestId) => endLine(requestId),
  report: (f) => reportLine(f),
};

export function platformLogFor(config: LoggingConfig): PlatformLog {
  if (config.LogFormat !== 'JSON') return TEXT;
  const minimum = Math.max(0, SYSTEM_LEVELS.indexOf((config.SystemLogLevel ?? 'INFO') as (typeof SYSTEM_LEVELS)[number]));
  const record = (level: (typeof SYSTEM_LEVELS)[number], type: string, nowMs: number, body: object): string | undefined =>
    SYSTEM_LEVELS.indexOf(level) >= minimum ? JSON.stringify({ time: new Date(nowMs).toISOString(), type, record: body }) : undefined;
  return {
    initStart: (f, nowMs) => record('INFO', 'platform.initStart', nowMs, { initializationType: f.initializationType, phase: 'init', runtimeVersion: f.runtimeVersion, functionName: f.functionName, functionVersion: f.functionVersion }),
    start: (requestId, version, nowMs) => record('INFO', 'platform.start', nowMs, { requestId, version }),
    runtimeDone: (requestId, status, durationMs, nowMs) => record('DEBUG', 'platform.runtimeDone', nowMs, { requestId, status, metrics: { durationMs: round2(durationMs) } }),
    report: (f, nowMs) =>
      record('INFO', 'platform.report', nowMs, {
        requestId: f.requestId,
        metrics: {
          durationMs: round2(f.durationMs),
          billedDurationMs: billedDurationMs(f.durationMs, f.initDurationMs),
          memorySizeMB: f.memorySizeMb,
          maxMemoryUsedMB: f.maxMemoryUsedMb,
          ...(f.initDurationMs !== undefined ? { initDurationMs: round2(f.initDurationMs) } : {}),
        },
        status: f.outcome,
      }),
  };
}

function round2(ms: number): number {
  return Math.round(ms * 100) / 100;
}
