/**
 * The event side of CloudWatch Logs over Flint's log store: GetLogEvents (one stream, paged
 * forward or backward with `f/` and `b/` tokens) and FilterLogEvents (every or some streams
 * of a group, interleaved by time, filtered by a filter pattern, paged by the last event
 * returned). What `aws logs tail` and `aws logs tail --follow` call.
 */
import { compileFilterPattern, FilterPatternError } from './filter-pattern.ts';
import type { LogGroups } from './log-groups.ts';
import { logsErrors } from './logs-error.ts';
import type { StoredEvent } from './ports.ts';
import { bool, decodeToken, encodeToken, groupName, int, required, str, strings, type Input } from './wire-input.ts';

const MAX_EVENTS = 10_000;
/** A page of events stops growing past this many bytes of messages (CloudWatch: 1 MB). */
const MAX_PAGE_BYTES = 1024 * 1024;
const MTIME_SLACK_MS = 5000;

/** Events of one stream inside [startTime, endTime) and the group's retention, oldest first. */
async function streamEvents(groups: LogGroups, group: string, stream: string, input: Input): Promise<StoredEvent[]> {
  const start = Math.max(int(input, 'startTime', 0) ?? 0, await groups.cutoffMs(group));
  const end = int(input, 'endTime', 0) ?? Number.POSITIVE_INFINITY;
  return (await groups.deps.storage.read(group, stream)).events.filter((e) => e.timestampMs >= start && e.timestampMs < end);
}

export async function getLogEvents(groups: LogGroups, input: Input): Promise<object> {
  const group = groupName(input);
  const stream = required(str(input, 'logStreamName'), 'logStreamName');
  const limit = int(input, 'limit', 1, MAX_EVENTS) ?? MAX_EVENTS;
  const token = str(input, 'nextToken');
  const streams = await groups.streams(group);
  if (!streams.some((s) => s.name === stream)) throw logsErrors.streamNotFound();
  const events = await streamEvents(groups, group, stream, input);
  const position = parsePositionToken(token);
  const forward = position ? position.direction === 'f' : (bool(input, 'startFromHead') ?? false);
  const at = Math.min(position?.index ?? (forward ? 0 : events.length), events.length);
  const [from, to] = forward ? [at, Math.min(events.length, at + limit)] : [Math.max(0, at - limit), at];
  return {
    events: events.slice(from, to).map((e) => ({ timestamp: e.timestampMs, message: e.message, ingestionTime: e.timestampMs })),
    nextForwardToken: positionToken('f', to),
    nextBackwardToken: positionToken('b', from),
  };
}

function positionToken(direction: 'f' | 'b', index: number): string {
  return `${direction}/${String(index).padStart(56, '0')}/s`;
}

function parsePositionToken(token: string | undefined): { direction: 'f' | 'b'; index: number } | undefined {
  if (token === undefined) return undefined;
  const m = /^([fb])\/(\d{56})\/s$/.exec(token);
  if (!m) throw logsErrors.invalid('The specified nextToken is invalid.');
  return { direction: m[1] as 'f' | 'b', index: Number(m[2]) };
}

interface FoundEvent {
  readonly logStreamName: string;
  readonly timestamp: number;
  readonly message: string;
  readonly ingestionTime: number;
  readonly eventId: string;
}

/** A numeric id that sorts as (timestamp, stream, offset) and never changes for an event. */
export function eventId(timestampMs: number, stream: string, offset: number): string {
  let h = 2166136261;
  for (let i = 0; i < stream.length; i++) h = Math.imul(h ^ stream.charCodeAt(i), 16777619) >>> 0;
  return `${String(timestampMs).padStart(16, '0')}${String(h).padStart(10, '0')}${String(offset).padStart(14, '0')}`;
}

const isEventId = (v: unknown): v is string => typeof v === 'string' && /^\d{40}$/.test(v);

export async function filterLogEvents(groups: LogGroups, input: Input): Promise<object> {
  const group = groupName(input);
  const names = strings(input, 'logStreamNames');
  const prefix = str(input, 'logStreamNamePrefix');
  if (names !== undefined && prefix !== undefined) throw logsErrors.invalid('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
  const limit = int(input, 'limit', 1, MAX_EVENTS) ?? MAX_EVENTS;
  const after = decodeToken(str(input, 'nextToken'), isEventId);
  let matches: (message: string) => boolean;
  try {
    matches = compileFilterPattern(str(input, 'filterPattern'));
  } catch (err) {
    if (err instanceof FilterPatternError) throw logsErrors.invalid(err.message);
    throw err;
  }
  const streams = (await groups.streams(group)).filter((s) => (names === undefined || names.includes(s.name)) && (prefix === undefined || s.name.startsWith(prefix)));
  const found: FoundEvent[] = [];
  const startTime = int(input, 'startTime', 0) ?? 0;
  for (const s of streams) {
    // events are stamped when captured, just before their write: a stream last written well before startTime has
    // none to give (the slack covers the file system's coarse clock)
    if (s.lastWriteMs < startTime - MTIME_SLACK_MS) continue;
    for (const e of await streamEvents(groups, group, s.name, input)) {
      const id = eventId(e.timestampMs, s.name, e.offset);
      if ((after === undefined || id > after) && matches(e.message)) {
        found.push({ logStreamName: s.name, timestamp: e.timestampMs, message: e.message, ingestionTime: e.timestampMs, eventId: id });
      }
    }
  }
  found.sort((a, b) => (a.eventId < b.eventId ? -1 : 1));
  const page: FoundEvent[] = [];
  let bytes = 0;
  for (const e of found) {
    if (page.length === limit || (page.length > 0 && bytes + e.message.length > MAX_PAGE_BYTES)) break;
    page.push(e);
    bytes += e.message.length;
  }
  return {
    events: page,
    searchedLogStreams: streams.map((s) => ({ logStreamName: s.name, searchedCompletely: true })),
    ...(page.length < found.length ? { nextToken: encodeToken(page.at(-1)!.eventId) } : {}),
  };
}
