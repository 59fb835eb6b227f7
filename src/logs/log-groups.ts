/**
 * The group and stream side of CloudWatch Logs over Flint's log store: DescribeLogGroups,
 * CreateLogGroup, DeleteLogGroup, Put/DeleteRetentionPolicy, DescribeLogStreams,
 * DeleteLogStream, and retention enforcement (streams whose last write is older than the
 * group's retention are deleted; older events in a live stream are never returned).
 */
import type { Clock } from '../shared/index.ts';
import { logsErrors } from './logs-error.ts';
import type { LogGroupStorage, LogStreamEntry } from './ports.ts';
import { MS_PER_DAY, RETENTION_DAYS } from './retention-settings.ts';
import { bool, decodeToken, encodeToken, groupName, int, required, str, type Input } from './wire-input.ts';

export interface LogGroupsDeps {
  readonly storage: LogGroupStorage;
  readonly clock: Clock;
  readonly region: string;
  readonly accountId: string;
}

const GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const isName = (v: unknown): v is string => typeof v === 'string';

interface DescribedStream {
  readonly logStreamName: string;
  readonly lastEventTimestamp?: number;
  readonly [member: string]: unknown;
}

export class LogGroups {
  readonly deps: LogGroupsDeps;

  constructor(deps: LogGroupsDeps) {
    this.deps = deps;
  }

  groupArn(group: string): string {
    return `arn:aws:logs:${this.deps.region}:${this.deps.accountId}:log-group:${group}`;
  }

  /** Events before this time are past the group's retention (0 when it keeps everything). */
  async cutoffMs(group: string): Promise<number> {
    const days = (await this.deps.storage.retention()).get(group);
    return days === undefined ? 0 : this.deps.clock.now() - days * MS_PER_DAY;
  }

  /** The group's streams (retention applied); ResourceNotFoundException when it does not exist. */
  async streams(group: string): Promise<LogStreamEntry[]> {
    await this.enforceRetention(group);
    const streams = await this.deps.storage.streams(group);
    if (streams === undefined) throw logsErrors.groupNotFound();
    return streams;
  }

  async describeLogGroups(input: Input): Promise<object> {
    const prefix = str(input, 'logGroupNamePrefix');
    const pattern = str(input, 'logGroupNamePattern');
    if (prefix !== undefined && pattern !== undefined) throw logsErrors.invalid('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
    const limit = int(input, 'limit', 1, 50) ?? 50;
    const after = decodeToken(str(input, 'nextToken'), isName);
    const retention = await this.deps.storage.retention();
    const groups = (await this.deps.storage.groups())
      .filter((g) => (prefix === undefined || g.name.startsWith(prefix)) && (pattern === undefined || g.name.toLowerCase().includes(pattern.toLowerCase())))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .filter((g) => after === undefined || g.name > after);
    const page = groups.slice(0, limit);
    return {
      logGroups: page.map((g) => ({
        logGroupName: g.name,
        creationTime: Math.round(g.createdMs),
        ...(retention.has(g.name) ? { retentionInDays: retention.get(g.name) } : {}),
        metricFilterCount: 0,
        arn: `${this.groupArn(g.name)}:*`,
        storedBytes: 0,
        logGroupClass: 'STANDARD',
        logGroupArn: this.groupArn(g.name),
      })),
      ...(groups.length > limit ? { nextToken: encodeToken(page.at(-1)!.name) } : {}),
    };
  }

  async createLogGroup(input: Input): Promise<object> {
    const group = required(str(input, 'logGroupName'), 'logGroupName');
    if (!GROUP_NAME.test(group)) throw logsErrors.constraint(group, 'logGroupName', 'Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+');
    if (!(await this.deps.storage.createGroup(group))) throw logsErrors.groupExists();
    return {};
  }

  async deleteLogGroup(input: Input): Promise<object> {
    const group = required(str(input, 'logGroupName'), 'logGroupName');
    if (!(await this.deps.storage.deleteGroup(group))) throw logsErrors.groupNotFound();
    return {};
  }

  async putRetentionPolicy(input: Input): Promise<object> {
    const group = required(str(input, 'logGroupName'), 'logGroupName');
    const days = required(int(input, 'retentionInDays'), 'retentionInDays');
    if (!RETENTION_DAYS.includes(days)) throw logsErrors.constraint(days, 'retentionInDays', `Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`);
    if ((await this.deps.storage.streams(group)) === undefined) throw logsErrors.groupNotFound();
    await this.deps.storage.setRetention(group, days);
    await this.enforceRetention(group);
    return {};
  }

  async deleteRetentionPolicy(input: Input): Promise<object> {
    const group = required(str(input, 'logGroupName'), 'logGroupName');
    if ((await this.deps.storage.streams(group)) === undefined) throw logsErrors.groupNotFound();
    await this.deps.storage.setRetention(group, undefined);
    return {};
  }

  async describeLogStreams(input: Input): Promise<object> {
    const group = groupName(input);
    const prefix = str(input, 'logStreamNamePrefix');
    const orderBy = str(input, 'orderBy') ?? 'LogStreamName';
    if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') throw logsErrors.constraint(orderBy, 'orderBy', 'Member must satisfy enum value set: [LogStreamName, LastEventTime]');
    if (orderBy === 'LastEventTime' && prefix !== undefined) throw logsErrors.invalid('Cannot order by LastEventTime with a logStreamNamePrefix.');
    const descending = bool(input, 'descending') ?? false;
    const limit = int(input, 'limit', 1, 50) ?? 50;
    const skip = decodeToken(str(input, 'nextToken'), (v): v is number => Number.isSafeInteger(v) && (v as number) >= 0) ?? 0;
    const cutoff = await this.cutoffMs(group);
    const described = await Promise.all(
      (await this.streams(group)).filter((s) => prefix === undefined || s.name.startsWith(prefix)).map((s) => this.#describeStream(group, s, cutoff)),
    );
    const key = (s: DescribedStream): string | number => (orderBy === 'LogStreamName' ? s.logStreamName : (s.lastEventTimestamp ?? 0));
    const sorted = described.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * (descending ? -1 : 1));
    const logStreams = sorted.slice(skip, skip + limit);
    return { logStreams, ...(sorted.length > skip + limit ? { nextToken: encodeToken(skip + limit) } : {}) };
  }

  async #describeStream(group: string, s: LogStreamEntry, cutoffMs: number): Promise<DescribedStream> {
    const events = (await this.deps.storage.read(group, s.name)).events.filter((e) => e.timestampMs >= cutoffMs);
    const described: DescribedStream = {
      logStreamName: s.name,
      creationTime: Math.round(s.createdMs),
      ...(events.length > 0
        ? { firstEventTimestamp: events[0]!.timestampMs, lastEventTimestamp: events.at(-1)!.timestampMs, lastIngestionTime: Math.round(s.lastWriteMs) }
        : {}),
      uploadSequenceToken: '1',
      arn: `${this.groupArn(group)}:log-stream:${s.name}`,
      storedBytes: 0,
    };
    return described;
  }

  async deleteLogStream(input: Input): Promise<object> {
    const group = required(str(input, 'logGroupName'), 'logGroupName');
    const stream = required(str(input, 'logStreamName'), 'logStreamName');
    if ((await this.deps.storage.streams(group)) === undefined) throw logsErrors.groupNotFound();
    if (!(await this.deps.storage.deleteStream(group, stream))) throw logsErrors.streamNotFound();
    return {};
  }

  /** Deletes the streams of one group (or of every group with a retention) last written before the retention cutoff. */
  async enforceRetention(only?: string): Promise<number> {
    const all = await this.deps.storage.retention();
    let deleted = 0;
    for (const [group, days] of all) {
      if (only !== undefined && group !== only) continue;
      const cutoff = this.deps.clock.now() - days * MS_PER_DAY;
      for (const s of (await this.deps.storage.streams(group)) ?? []) {
        if (s.lastWriteMs < cutoff && (await this.deps.storage.deleteStream(group, s.name))) deleted++;
      }
    }
    return deleted;
  }
}
