/**
 * Flint's own read API over a function's log group (no Lambda equivalent; what `flint logs` reads):
 *   GET /flint/logs/{FunctionName}?NextToken=
 * Returns the events written since the token (every stream, streams oldest first) and the token to
 * continue from; polling with the returned token follows the group as it grows.
 */
import { pathLabel, queryValue, type FastifyInstance, type FastifyRequest } from '../api/index.ts';
import { errors } from '../shared/index.ts';

/** The read side of the log store (CloudWatch-like groups and streams; files all-in-one, the database in a cluster). */
export interface LogReader {
  /** The streams of a group, oldest first (undefined when there is no group). */
  streams(group: string): Promise<ReadonlyArray<{ readonly name: string }> | undefined>;
  /** Events of one stream from `offset` on, and the offset to continue from. */
  read(group: string, stream: string, offset?: number): Promise<{ events: ReadonlyArray<{ readonly timestampMs: number; readonly message: string }>; nextOffset: number }>;
}

export interface LogsRouteDeps {
  readonly logs: LogReader;
}

export interface LogEventsPage {
  readonly Events: Array<{ readonly Timestamp: number; readonly LogStreamName: string; readonly Message: string }>;
  /** Opaque: where each stream was read up to. */
  readonly NextToken: string;
}

/** Stream name -> offset read up to, carried in the token. */
type Offsets = Record<string, number>;

function encodeToken(offsets: Offsets): string {
  return Buffer.from(JSON.stringify(offsets)).toString('base64url');
}

function decodeToken(req: FastifyRequest): Offsets {
  const token = queryValue(req, 'NextToken');
  if (token === undefined || token === '') return {};
  try {
    const offsets = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (typeof offsets === 'object' && offsets !== null && !Array.isArray(offsets) && Object.values(offsets).every((n) => Number.isSafeInteger(n) && (n as number) >= 0)) {
      return offsets as Offsets;
    }
  } catch {
    // falls through to the error below
  }
  throw errors.invalidParameter('The NextToken is not one this API returned.');
}

async function readLogEvents(logs: LogReader, functionName: string, offsets: Offsets): Promise<LogEventsPage> {
  const group = `/aws/lambda/${functionName}`;
  const next: Offsets = { ...offsets };
  const events: LogEventsPage['Events'] = [];
  for (const { name: stream } of (await logs.streams(group)) ?? []) {
    const { events: read, nextOffset } = await logs.read(group, stream, next[stream] ?? 0);
    next[stream] = nextOffset;
    for (const e of read) events.push({ Timestamp: e.timestampMs, LogStreamName: stream, Message: e.message });
  }
  return { Events: events, NextToken: encodeToken(next) };
}

export function registerLogsRoute(app: FastifyInstance, deps: LogsRouteDeps): void {
  app.get('/flint/logs/:name', async (req) => readLogEvents(deps.logs, pathLabel(req, 'name'), decodeToken(req)));
}
