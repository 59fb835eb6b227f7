/**
 * Function logs in a cluster: a function runs on a worker host (which has no database), its lines
 * are shipped to a front end and stored in PostgreSQL before the invoke is answered, and every front
 * end serves them: `flint logs --endpoint`, CloudWatch Logs' API (the AWS SDK), `LogType: Tail`,
 * retention set through one front end and seen through the other, async attempt lines.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  CloudWatchLogsClient,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { removeDataDir, startFlintProcess, type FlintProcess } from '../helpers/flint-process.ts';
import { requirePostgres, startPostgres, type PostgresCluster } from '../helpers/postgres.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { FAST_ASYNC_FLAGS } from '../e2e/async-support.ts';
import { deploy, invoke } from '../e2e/invoke-support.ts';
import { startWorkerProcess, type WorkerProcess } from './cluster-support.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const FLINT = join(ROOT, 'bin', 'flint.mjs');
const run = promisify(execFile);
const HANDLER = [{ name: 'index.js', content: "exports.handler = async (event) => { console.log(`logged ${event.mark}`); return { mark: event.mark }; };" }];

describe('function logs in a cluster of two front ends on PostgreSQL and a worker host', { skip: requirePostgres() }, () => {
  let postgres: PostgresCluster;
  let a: FlintProcess;
  let b: FlintProcess;
  let worker: WorkerProcess;
  const logsClients: CloudWatchLogsClient[] = [];
  const logsOf = (fe: FlintProcess): CloudWatchLogsClient => {
    const client = new CloudWatchLogsClient({ endpoint: fe.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
    logsClients.push(client);
    return client;
  };
  /** `flint logs NAME --endpoint URL`, as an operator runs it. */
  const flintLogs = async (fe: FlintProcess, fn: string): Promise<string> => (await run(process.execPath, [FLINT, 'logs', fn, '--endpoint', fe.endpoint], { cwd: ROOT })).stdout;
  const filtered = async (fe: FlintProcess, fn: string, filterPattern?: string): Promise<string[]> =>
    ((await logsOf(fe).send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${fn}`, filterPattern }))).events ?? []).map((e) => e.message ?? '');

  before(async () => {
    postgres = await startPostgres();
    const database = await postgres.createDatabase();
    const args = ['--database', database, '--no-local-worker', ...FAST_ASYNC_FLAGS];
    a = await startFlintProcess({ args });
    b = await startFlintProcess({ args });
    const { stdout } = await run(process.execPath, [FLINT, 'token', 'create', '--database', database], { cwd: ROOT });
    worker = await startWorkerProcess({ join: a.endpoint, token: stdout.trim().split('\n').at(-1)!, args: ['--host-memory-budget-mb', '1024'] });
    await waitFor(async () => {
      const s = (await (await fetch(`${b.endpoint}/flint/status`)).json()) as { hosts: Array<{ healthy: boolean }>; frontEnds: unknown[] };
      return s.hosts.filter((h) => h.healthy).length === 1 && s.frontEnds.length === 2;
    }, { what: 'the worker host healthy and both front ends live' });
  });
  after(async () => {
    for (const c of logsClients) c.destroy();
    await worker?.stop().catch(() => undefined);
    if (worker) removeDataDir(worker.dataDir);
    for (const fe of [a, b]) {
      if (!fe) continue;
      await fe.stop().catch(() => undefined);
      removeDataDir(fe.dataDir);
    }
    await postgres?.stop();
  });

  it('stores the lines of an invocation on a worker host before the invoke is answered, and both front ends serve them', async () => {
    const fn = (await deploy(a.client(), HANDLER)).name;
    const first = await invoke(b.client(), fn, { mark: 'first-call' }, { tail: true });
    assert.equal(first.json.mark, 'first-call');
    assert.ok(worker.ran(fn), 'the function ran on the worker host');
    assert.match(first.log, /INFO\tlogged first-call/, 'LogType Tail still carries the log tail');
    assert.match(first.log, /REPORT RequestId: /);

    // read at once, no waiting: the lines were stored before the invoke was answered
    for (const fe of [a, b]) {
      const out = await flintLogs(fe, fn);
      assert.match(out, /START RequestId: [0-9a-f-]+ Version: \$LATEST/, `flint logs --endpoint ${fe.endpoint}`);
      assert.match(out, /INFO\tlogged first-call/, `flint logs --endpoint ${fe.endpoint}`);
      assert.match(out, /REPORT RequestId: /, `flint logs --endpoint ${fe.endpoint}`);
      const messages = await filtered(fe, fn);
      assert.ok(messages.some((m) => m.includes('logged first-call')), `FilterLogEvents through ${fe.endpoint}: ${messages.join(' | ')}`);
    }

    await invoke(a.client(), fn, { mark: 'second-call' });
    assert.deepEqual((await filtered(b, fn, '"logged second-call"')).length, 1, 'a filter pattern through the other front end');
    const streams = (await logsOf(a).send(new DescribeLogStreamsCommand({ logGroupName: `/aws/lambda/${fn}` }))).logStreams ?? [];
    assert.equal(streams.length, 1, 'one sandbox, one stream');
    assert.match(streams[0]!.logStreamName!, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.ok((streams[0]!.lastEventTimestamp ?? 0) >= (streams[0]!.firstEventTimestamp ?? Infinity));
    assert.equal(existsSync(join(worker.dataDir, 'logs')), false, 'nothing was written to the worker host\'s disk');
  });

  it('shows the lines and attempt line of an async event through either front end, keeps retention in the database and deletes a group for both', async () => {
    const fn = (await deploy(b.client(), HANDLER)).name;
    const group = `/aws/lambda/${fn}`;
    const out = await a.client().send(new InvokeCommand({ FunctionName: fn, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ mark: 'async-call' })) }));
    assert.equal(out.StatusCode, 202);
    // the group appears when the event has run: until then FilterLogEvents answers ResourceNotFoundException
    const soon = async (fe: FlintProcess): Promise<string[]> => filtered(fe, fn).catch(() => []);
    await waitFor(async () => (await soon(b)).some((m) => m.includes('logged async-call')), { what: 'the async invocation\'s lines through the other front end', timeoutMs: 30_000, everyMs: 100 });
    // the attempt line is written by the front end that ran the event, in a stream of its own
    const attemptStream = await waitFor(
      async () => ((await logsOf(b).send(new DescribeLogStreamsCommand({ logGroupName: group }))).logStreams ?? []).find((s) => s.logStreamName!.endsWith('[$LATEST]async-invoke'))?.logStreamName,
      { what: 'the async attempt stream next to the sandbox\'s', everyMs: 100 },
    );
    const attempt = await logsOf(a).send(new FilterLogEventsCommand({ logGroupName: group, logStreamNames: [attemptStream] }));
    assert.equal(attempt.events?.length, 1, 'one attempt line');

    await logsOf(a).send(new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays: 7 }));
    const described = await logsOf(b).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }));
    assert.equal(described.logGroups?.[0]?.retentionInDays, 7, 'a retention policy set through one front end is the other\'s');

    await logsOf(b).send(new DeleteLogGroupCommand({ logGroupName: group }));
    assert.deepEqual((await logsOf(a).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }))).logGroups, []);
    assert.doesNotMatch(await flintLogs(a, fn), /logged async-call/);
    await invoke(a.client(), fn, { mark: 'after-delete' });
    const again = await logsOf(b).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }));
    assert.equal(again.logGroups?.[0]?.retentionInDays, undefined, 'the next invocation makes the group again, without the deleted retention');
    assert.ok((await filtered(b, fn)).some((m) => m.includes('logged after-delete')));
  });
});
