/**
 * The platform's lines around each invocation (START / END / REPORT) in Lambda's
 * exact format, and the `LogType: Tail` excerpt (last 4 KB, base64).
 */
export const TAIL_BYTES = 4096;

export function startLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

export interface ReportFigures {
  readonly requestId: string;
  readonly durationMs: number;
  readonly memorySizeMb: number;
  readonly maxMemoryUsedMb: number;
  /** Present on the first invocation of a sandbox (cold start). */
  readonly initDurationMs?: number | undefined;
  /** Set when the invocation ended abnormally (timeout, crash, out of memory). */
  readonly status?: 'timeout' | 'error' | undefined;
}

export function reportLine(f: ReportFigures): string {
  let line =
    `REPORT RequestId: ${f.requestId}\tDuration: ${f.durationMs.toFixed(2)} ms\t` +
    `Billed Duration: ${billedDurationMs(f.durationMs, f.initDurationMs)} ms\t` +
    `Memory Size: ${f.memorySizeMb} MB\tMax Memory Used: ${f.maxMemoryUsedMb} MB\t`;
  if (f.initDurationMs !== undefined) line += `Init Duration: ${f.initDurationMs.toFixed(2)} ms\t`;
  if (f.status !== undefined) line += `Status: ${f.status}\t`;
  return line;
}

/** Lambda bills in 1 ms steps, rounding up (managed runtimes do not bill the init phase). */
export function billedDurationMs(durationMs: number, _initDurationMs?: number): number {
  return Math.max(1, Math.ceil(durationMs));
}

/** Base64 of the last 4 KB of an invocation's log, cut at a UTF-8 character boundary. */
export function logTail(log: string): string {
  const bytes = Buffer.from(log, 'utf8');
  if (bytes.length <= TAIL_BYTES) return bytes.toString('base64');
  let start = bytes.length - TAIL_BYTES;
  while (start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start++;
  return bytes.subarray(start).toString('base64');
}
