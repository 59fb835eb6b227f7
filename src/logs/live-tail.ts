/**
 * StartLiveTail: an event stream that starts with `sessionStart` and then sends a `sessionUpdate`
 * with the new events (matching the filter pattern) of the named groups' streams about every
 * second, for at most three hours or until the caller hangs up. Events written before the
 * session started are not sent, as on CloudWatch.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from '../api/index.ts';
import { EVENT_STREAM_CONTENT_TYPE, eventMessage } from './event-stream.ts';
import { compileFilterPattern, FilterPatternError } from './filter-pattern.ts';
import type { LogGroups } from './log-groups.ts';
import { logsErrors } from './logs-error.ts';
import { required, str, strings, type Input } from './wire-input.ts';

const POLL_MS = 1000;
const MAX_SESSION_MS = 3 * 60 * 60 * 1000;

/** Checks the request and returns what answers it (throws LogsError before anything is sent). */
export async function startLiveTail(groups: LogGroups, input: Input): Promise<(req: FastifyRequest, reply: FastifyReply) => void> {
  const identifiers = required(strings(input, 'logGroupIdentifiers'), 'logGroupIdentifiers');
  if (identifiers.length < 1 || identifiers.length > 10) throw logsErrors.constraint(`[${identifiers.join(', ')}]`, 'logGroupIdentifiers', 'Member must have length between 1 and 10');
  const names = strings(input, 'logStreamNames');
  const prefixes = strings(input, 'logStreamNamePrefixes');
  const pattern = str(input, 'logEventFilterPattern');
  let matches: (message: string) => boolean;
  try {
    matches = compileFilterPattern(pattern);
  } catch (err) {
    if (err instanceof FilterPatternError) throw logsErrors.invalid(err.message);
    throw err;
  }
  const targets = identifiers.map((id) => ({ id, group: groupOf(id) }));
  const offsets = new Map<string, number>();
  for (const t of targets) {
    for (const s of await groups.streams(t.group)) offsets.set(`${t.group}\0${s.name}`, (await groups.deps.storage.read(t.group, s.name)).events.at(-1)?.offset ?? -1);
  }
  const wanted = (stream: string) => (names === undefined || names.includes(stream)) && (prefixes === undefined || prefixes.some((p) => stream.startsWith(p)));

  const poll = async () => {
    const results = [];
    for (const t of targets) {
      for (const s of (await groups.deps.storage.streams(t.group)) ?? []) {
        if (!wanted(s.name)) continue;
        const key = `${t.group}\0${s.name}`;
        const seen = offsets.get(key) ?? -1;
        const fresh = (await groups.deps.storage.read(t.group, s.name, seen + 1)).events;
        if (fresh.length > 0) offsets.set(key, fresh.at(-1)!.offset);
        for (const e of fresh) {
          if (matches(e.message)) results.push({ logStreamName: s.name, logGroupIdentifier: t.id, message: e.message, timestamp: e.timestampMs, ingestionTime: e.timestampMs });
        }
      }
    }
    return results.sort((a, b) => a.timestamp - b.timestamp);
  };

  return (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': EVENT_STREAM_CONTENT_TYPE, 'x-amzn-requestid': req.id });
    res.write(
      eventMessage('sessionStart', {
        requestId: req.id,
        sessionId: randomUUID(),
        logGroupIdentifiers: identifiers,
        ...(names ? { logStreamNames: names } : {}),
        ...(prefixes ? { logStreamNamePrefixes: prefixes } : {}),
        ...(pattern !== undefined ? { logEventFilterPattern: pattern } : {}),
      }),
    );
    let open = true;
    const ending = setTimeout(() => res.end(), MAX_SESSION_MS);
    const timer = setInterval(() => {
      void poll()
        .then((events) => {
          if (open && events.length > 0) res.write(eventMessage('sessionUpdate', { sessionMetadata: { sampled: false }, sessionResults: events }));
        })
        .catch((err: unknown) => req.log.warn({ err }, 'live tail poll failed'));
    }, POLL_MS);
    res.on('close', () => {
      open = false;
      clearInterval(timer);
      clearTimeout(ending);
    });
  };
}

function groupOf(identifier: string): string {
  const arn = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(:\*)?$/.exec(identifier);
  return arn ? arn[1]! : identifier;
}
