/** Writes attempt lines into the function's log group, in a stream of their own per day and version. */
import type { Logger } from '../shared/index.ts';
import type { AttemptLog } from './ports.ts';

/** The part of the worker host's log store this needs. */
export interface LogAppender {
  append(group: string, stream: string, events: ReadonlyArray<{ readonly timestampMs: number; readonly message: string }>): Promise<void>;
}

/** `2024/01/02/[$LATEST]async-invoke`: CloudWatch-style, next to the sandboxes' streams of the same group. */
export function attemptStreamName(version: string, timestampMs: number): string {
  const d = new Date(timestampMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/[${version}]async-invoke`;
}

export function logStoreAttemptLog(store: LogAppender, logger: Logger): AttemptLog {
  return {
    write(functionName, version, line, timestampMs) {
      store
        .append(`/aws/lambda/${functionName}`, attemptStreamName(version, timestampMs), [{ timestampMs, message: line }])
        .catch((err: unknown) => logger.warn({ err, functionName }, 'could not write an async attempt line'));
    },
  };
}
