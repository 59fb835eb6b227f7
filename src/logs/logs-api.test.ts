/** The CloudWatch Logs API through the official SDK (@aws-sdk/client-cloudwatch-logs) against a real server and log store. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchLogsClient,
  type CloudWatchLogsServiceException,
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  DeleteLogStreamCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  InvalidParameterException,
  PutRetentionPolicyCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  paginateFilterLogEvents,
  StartLiveTailCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { pino } from 'pino';
import { createApiServer, type FastifyInstance } from '../api/index.ts';
import { FileLogStore } from '../storage/index.ts';
import { registerLogsApi } from './logs-api-route.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 0, 10);

async function rejects(promise: Promise<unknown>, type: abstract new (...a: never[]) => Error, message: string | RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof type, `expected ${type.name}, got ${String(err)}`);
    assert.equal((err as CloudWatchLogsServiceException).$metadata.httpStatusCode, 400);
    if (typeof message === 'string') assert.equal((err as Error).message, message);
    else assert.match((err as Error).message, message);
    return true;
  });
}

describe('CloudWatch Logs API through the AWS SDK', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flint-logs-api-'));
  // a new store per start: what a restart keeps is what the files keep
  const openStore = (): FileLogStore => new FileLogStore(join(dir, 'logs'), join(dir, 'log-retention.json'));
  let store = openStore();
  const clock = { ms: T0, now() { return this.ms; } };
  let app: FastifyInstance;
  let client: CloudWatchLogsClient;

  const start = async (): Promise<void> => {
    store = openStore();
    app = createApiServer({ logger: pino({ level: 'silent' }) });
    registerLogsApi(app, { storage: store, clock, region: 'us-east-1', accountId: '000000000000', logger: pino({ level: 'silent' }) });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    client = new CloudWatchLogsClient({ endpoint: address, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
  };
  const stop = async (): Promise<void> => {
    client.destroy();
    await app.close();
  };

  before(async () => {
    await store.append('/aws/lambda/f', '2026/01/10/[$LATEST]aaa', [
      { timestampMs: T0 + 1, message: 'START RequestId: r1 Version: $LATEST' },
      { timestampMs: T0 + 2, message: '2026-01-10T00:00:00.002Z\tr1\tERROR\tdisk full' },
      { timestampMs: T0 + 3, message: JSON.stringify({ level: 'ERROR', message: 'json error', latency: 900 }) },
    ]);
    await store.append('/aws/lambda/f', '2026/01/10/[$LATEST]bbb', [
      { timestampMs: T0 + 4, message: '2026-01-10T00:00:00.004Z\tr2\tINFO\tall good' },
      { timestampMs: T0 + 5, message: JSON.stringify({ level: 'INFO', message: 'json info', latency: 10 }) },
    ]);
    await store.append('/aws/lambda/g', 'only', [{ timestampMs: T0, message: 'other group' }]);
    await start();
  });
  after(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists log groups with a prefix, a pattern and paging, with their ARNs', async () => {
    const all = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/' }));
    assert.deepEqual(all.logGroups?.map((g) => g.logGroupName), ['/aws/lambda/f', '/aws/lambda/g']);
    assert.equal(all.logGroups?.[0]?.arn, 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/f:*');
    const first = await client.send(new DescribeLogGroupsCommand({ limit: 1 }));
    assert.deepEqual(first.logGroups?.map((g) => g.logGroupName), ['/aws/lambda/f']);
    const second = await client.send(new DescribeLogGroupsCommand({ limit: 1, nextToken: first.nextToken }));
    assert.deepEqual(second.logGroups?.map((g) => g.logGroupName), ['/aws/lambda/g']);
    assert.equal(second.nextToken, undefined);
    const pattern = await client.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'LAMBDA/G' }));
    assert.deepEqual(pattern.logGroups?.map((g) => g.logGroupName), ['/aws/lambda/g']);
    await rejects(client.send(new DescribeLogGroupsCommand({ limit: 51 })), InvalidParameterException, "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50");
  });

  it('creates a log group once and refuses a second time or a bad name', async () => {
    await client.send(new CreateLogGroupCommand({ logGroupName: '/custom/app-logs' }));
    const got = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/custom/' }));
    assert.deepEqual(got.logGroups?.map((g) => g.logGroupName), ['/custom/app-logs']);
    await rejects(client.send(new CreateLogGroupCommand({ logGroupName: '/custom/app-logs' })), ResourceAlreadyExistsException, 'The specified log group already exists');
    await rejects(client.send(new CreateLogGroupCommand({ logGroupName: 'bad name!' })), InvalidParameterException, /at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern/);
  });

  it('lists streams by name or by last event time, ascending or descending, with a prefix and paging', async () => {
    const byName = await client.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/f' }));
    assert.deepEqual(byName.logStreams?.map((s) => s.logStreamName), ['2026/01/10/[$LATEST]aaa', '2026/01/10/[$LATEST]bbb']);
    const a = byName.logStreams![0]!;
    assert.deepEqual([a.firstEventTimestamp, a.lastEventTimestamp], [T0 + 1, T0 + 3]);
    const latestFirst = await client.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/f', orderBy: 'LastEventTime', descending: true, limit: 1 }));
    assert.deepEqual(latestFirst.logStreams?.map((s) => s.logStreamName), ['2026/01/10/[$LATEST]bbb']);
    const next = await client.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/f', orderBy: 'LastEventTime', descending: true, limit: 1, nextToken: latestFirst.nextToken }));
    assert.deepEqual(next.logStreams?.map((s) => s.logStreamName), ['2026/01/10/[$LATEST]aaa']);
    assert.equal(next.nextToken, undefined);
    const prefixed = await client.send(new DescribeLogStreamsCommand({ logGroupIdentifier: 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/f', logStreamNamePrefix: '2026/01/10/[$LATEST]b' }));
    assert.deepEqual(prefixed.logStreams?.map((s) => s.logStreamName), ['2026/01/10/[$LATEST]bbb']);
    await rejects(client.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/f', orderBy: 'LastEventTime', logStreamNamePrefix: 'x' })), InvalidParameterException, 'Cannot order by LastEventTime with a logStreamNamePrefix.');
    await rejects(client.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/missing' })), ResourceNotFoundException, 'The specified log group does not exist.');
  });

  it('reads a stream from the head or the tail and pages with forward and backward tokens', async () => {
    const stream = '2026/01/10/[$LATEST]aaa';
    const head = await client.send(new GetLogEventsCommand({ logGroupName: '/aws/lambda/f', logStreamName: stream, startFromHead: true, limit: 2 }));
    assert.deepEqual(head.events?.map((e) => e.timestamp), [T0 + 1, T0 + 2]);
    const rest = await client.send(new GetLogEventsCommand({ logGroupName: '/aws/lambda/f', logStreamName: stream, nextToken: head.nextForwardToken, limit: 2 }));
    assert.deepEqual(rest.events?.map((e) => e.timestamp), [T0 + 3]);
    const end = await client.send(new GetLogEventsCommand({ logGroupName: '/aws/lambda/f', logStreamName: stream, nextToken: rest.nextForwardToken }));
    assert.deepEqual([end.events, end.nextForwardToken], [[], rest.nextForwardToken], 'at the end the forward token stays the same');
    const tail = await client.send(new GetLogEventsCommand({ logGroupName: '/aws/lambda/f', logStreamName: stream, limit: 1 }));
    assert.deepEqual(tail.events?.map((e) => e.timestamp), [T0 + 3], 'without startFromHead the latest events come back');
    const back = await client.send(new GetLogEventsCommand({ logGroupName: '/aws/lambda/f', logStreamName: stream, nextToken: tail.nextBackwardToken, limit: 5 }));
    assert.deepEqual(back.events?.map((e) => e.timestamp), [T0 + 1, T0 + 2]);
    const window = await client.send(new GetLogEventsCommand({ logGroupName: '/aws/lambda/f', logStreamName: stream, startTime: T0 + 2, endTime: T0 + 3, startFromHead: true }));
    assert.deepEqual(window.events?.map((e) => e.message), ['2026-01-10T00:00:00.002Z\tr1\tERROR\tdisk full']);
    await rejects(client.send(new GetLogEventsCommand({ logGroupName: '/aws/lambda/f', logStreamName: 'nope' })), ResourceNotFoundException, 'The specified log stream does not exist.');
    await rejects(client.send(new GetLogEventsCommand({ logGroupName: '/aws/lambda/nope', logStreamName: stream })), ResourceNotFoundException, 'The specified log group does not exist.');
    await rejects(client.send(new GetLogEventsCommand({ logGroupName: '/aws/lambda/f', logStreamName: stream, nextToken: 'f/garbage' })), InvalidParameterException, 'The specified nextToken is invalid.');
  });

  it('filters events of every stream, interleaved by time, with filter patterns', async () => {
    const messages = async (filterPattern?: string, more: object = {}) =>
      (await client.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/f', filterPattern, ...more }))).events?.map((e) => e.message);
    assert.equal((await messages())?.length, 5);
    assert.deepEqual(await messages('ERROR'), ['2026-01-10T00:00:00.002Z\tr1\tERROR\tdisk full', JSON.stringify({ level: 'ERROR', message: 'json error', latency: 900 })]);
    assert.deepEqual(await messages('{ $.level = "ERROR" }'), [JSON.stringify({ level: 'ERROR', message: 'json error', latency: 900 })]);
    assert.deepEqual(await messages('{ $.latency < 100 }'), [JSON.stringify({ level: 'INFO', message: 'json info', latency: 10 })]);
    assert.deepEqual(await messages('?"disk full" ?"all good"'), ['2026-01-10T00:00:00.002Z\tr1\tERROR\tdisk full', '2026-01-10T00:00:00.004Z\tr2\tINFO\tall good']);
    assert.deepEqual(await messages('RequestId -START'), []);
    assert.deepEqual(await messages(undefined, { logStreamNames: ['2026/01/10/[$LATEST]bbb'], startTime: T0 + 5 }), [JSON.stringify({ level: 'INFO', message: 'json info', latency: 10 })]);
    const first = await client.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/f', limit: 2 }));
    assert.deepEqual(first.events?.map((e) => e.timestamp), [T0 + 1, T0 + 2]);
    assert.equal(new Set(first.events?.map((e) => e.eventId)).size, 2);
    const pages = [];
    for await (const page of paginateFilterLogEvents({ client, pageSize: 2 }, { logGroupName: '/aws/lambda/f' })) pages.push(page.events?.map((e) => e.timestamp));
    assert.deepEqual(pages, [[T0 + 1, T0 + 2], [T0 + 3, T0 + 4], [T0 + 5]]);
    await rejects(client.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/f', filterPattern: '{ $.level = }' })), InvalidParameterException, 'Invalid filter pattern: { $.level = }');
    await rejects(client.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/nope' })), ResourceNotFoundException, 'The specified log group does not exist.');
  });

  it('keeps a retention policy across restarts and deletes streams past it', async () => {
    await store.append('/aws/lambda/r', 'old', [{ timestampMs: Date.now(), message: 'old' }]);
    await rejects(client.send(new PutRetentionPolicyCommand({ logGroupName: '/aws/lambda/r', retentionInDays: 2 })), InvalidParameterException, /^1 validation error detected: Value '2' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: \[1, 3, 5, 7,/);
    await rejects(client.send(new PutRetentionPolicyCommand({ logGroupName: '/aws/lambda/none', retentionInDays: 1 })), ResourceNotFoundException, 'The specified log group does not exist.');
    clock.ms = Date.now();
    await client.send(new PutRetentionPolicyCommand({ logGroupName: '/aws/lambda/r', retentionInDays: 1 }));
    await stop();
    await start();
    const group = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/r' }));
    assert.equal(group.logGroups?.[0]?.retentionInDays, 1, 'the policy survives a restart');
    assert.equal((await client.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/r' }))).logStreams?.length, 1);
    clock.ms = Date.now() + 2 * DAY_MS;
    assert.deepEqual((await client.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/r' }))).events, []);
    assert.deepEqual((await client.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/r' }))).logStreams, [], 'the expired stream is deleted');
    assert.deepEqual((await store.read('/aws/lambda/r', 'old')).events, []);
    await client.send(new DeleteRetentionPolicyCommand({ logGroupName: '/aws/lambda/r' }));
    const kept = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/r' }));
    assert.equal(kept.logGroups?.[0]?.retentionInDays, undefined);
    clock.ms = T0;
  });

  it('deletes a stream and a group, then answers that they do not exist', async () => {
    await store.append('/aws/lambda/d', 's', [{ timestampMs: T0, message: 'x' }]);
    await client.send(new DeleteLogStreamCommand({ logGroupName: '/aws/lambda/d', logStreamName: 's' }));
    await rejects(client.send(new DeleteLogStreamCommand({ logGroupName: '/aws/lambda/d', logStreamName: 's' })), ResourceNotFoundException, 'The specified log stream does not exist.');
    await client.send(new DeleteLogGroupCommand({ logGroupName: '/aws/lambda/d' }));
    await rejects(client.send(new DeleteLogGroupCommand({ logGroupName: '/aws/lambda/d' })), ResourceNotFoundException, 'The specified log group does not exist.');
    assert.deepEqual((await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/d' }))).logGroups, []);
  });

  it('streams new events of a group with StartLiveTail: sessionStart, then sessionUpdate with what matches the pattern', async () => {
    const tailClient = new CloudWatchLogsClient({ endpoint: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1, disableHostPrefix: true });
    await store.append('/aws/lambda/live', 's1', [{ timestampMs: T0, message: 'before the session ERROR' }]);
    const abort = new AbortController();
    try {
      const out = await tailClient.send(new StartLiveTailCommand({ logGroupIdentifiers: ['arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/live'], logEventFilterPattern: 'ERROR' }), { abortSignal: abort.signal });
      const seen: string[] = [];
      for await (const event of out.responseStream!) {
        if (event.sessionStart) {
          assert.deepEqual(event.sessionStart.logGroupIdentifiers, ['arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/live']);
          await store.append('/aws/lambda/live', 's1', [{ timestampMs: T0 + 1, message: 'INFO skipped' }, { timestampMs: T0 + 2, message: 'ERROR one' }]);
          await store.append('/aws/lambda/live', 's2', [{ timestampMs: T0 + 3, message: 'ERROR two' }]);
        }
        for (const e of event.sessionUpdate?.sessionResults ?? []) seen.push(`${e.logStreamName} ${e.message}`);
        if (seen.length >= 2) break;
      }
      assert.deepEqual(seen, ['s1 ERROR one', 's2 ERROR two']);
      await rejects(tailClient.send(new StartLiveTailCommand({ logGroupIdentifiers: ['/aws/lambda/none'] })), ResourceNotFoundException, 'The specified log group does not exist.');
    } finally {
      abort.abort();
      tailClient.destroy();
    }
  });

  it('leaves POST / without a CloudWatch Logs target to the Lambda API, and names an unknown operation', async () => {
    const lambda = await app.inject({ method: 'POST', url: '/', payload: '{}' });
    assert.deepEqual([lambda.statusCode, lambda.headers['x-amzn-errortype'], lambda.json()], [404, 'UnknownOperationException', { Type: 'User', message: 'Unknown operation POST /' }]);
    const unknown = await app.inject({ method: 'POST', url: '/', headers: { 'x-amz-target': 'Logs_20140328.PutQueryDefinitionNope', 'content-type': 'application/x-amz-json-1.1' }, payload: '{}' });
    assert.deepEqual([unknown.statusCode, unknown.json()], [400, { __type: 'UnknownOperationException', message: 'Unknown operation PutQueryDefinitionNope' }]);
    const bad = await app.inject({ method: 'POST', url: '/', headers: { 'x-amz-target': 'Logs_20140328.DescribeLogGroups' }, payload: '[1' });
    assert.equal(bad.json().__type, 'SerializationException');
  });
});
