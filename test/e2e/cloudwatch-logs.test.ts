/**
 * CloudWatch Logs on a running Flint: function logs read through @aws-sdk/client-cloudwatch-logs and
 * the AWS CLI v2 (`aws logs tail`, `--follow`, `--filter-pattern`, `filter-log-events`), and
 * LoggingConfig's JSON format and levels end to end (Node and Python, platform records, LogType Tail).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand, DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { InvalidParameterValueException, UpdateFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { requirePrerequisite } from '../helpers/prerequisite.ts';
import { removeDataDir, startFlintProcess, type FlintProcess } from '../helpers/flint-process.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { deploy, invoke } from './invoke-support.ts';
import { rejectsWith, uniqueName } from './lambda-support.ts';

const run = promisify(execFile);
const AWS_CLI = '/usr/bin/aws';

const NODE_SOURCE = `exports.handler = async (e) => {
  console.debug('debug line', e.n); console.info('info line', e.n); console.log({ order: e.n, ok: true });
  if (e.n === 2) console.error('failure for', e.n);
  return e.n;
};`;

type JsonLine = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const records = (log: string): JsonLine[] => log.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as JsonLine);

describe('CloudWatch Logs on Flint', () => {
  let flint: FlintProcess;
  let lambda: LambdaClient;
  let logs: CloudWatchLogsClient;
  let textFn: string;

  before(async () => {
    flint = await startFlintProcess();
    lambda = flint.client();
    logs = new CloudWatchLogsClient({ endpoint: flint.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
    textFn = (await deploy(lambda, [{ name: 'index.js', content: NODE_SOURCE }])).name;
    await invoke(lambda, textFn, { n: 1 });
    await invoke(lambda, textFn, { n: 2 });
  });
  after(async () => {
    logs.destroy();
    await flint.stop();
    removeDataDir(flint.dataDir);
  });

  it("serves a function's log group, stream and events through the CloudWatch Logs SDK", async () => {
    const group = `/aws/lambda/${textFn}`;
    const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }));
    assert.deepEqual(groups.logGroups?.map((g) => g.logGroupName), [group]);
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, orderBy: 'LastEventTime', descending: true }));
    assert.equal(streams.logStreams?.length, 1);
    assert.match(streams.logStreams![0]!.logStreamName!, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    const events = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: streams.logStreams![0]!.logStreamName, startFromHead: true }));
    const messages = events.events!.map((e) => e.message!);
    assert.match(messages[0]!, /^START RequestId: \S+ Version: \$LATEST$/);
    assert.ok(messages.some((m) => /\tINFO\tinfo line 1$/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /\tDEBUG\tdebug line 1$/.test(m)), 'text logs have no level filter');
    const errors = await logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: '"failure for"' }));
    assert.deepEqual(errors.events?.map((e) => e.message!.split('\t').slice(2).join('\t')), ['ERROR\tfailure for 2']);
  });

  it('writes JSON records for application and platform lines with LogFormat JSON, filtered by both levels, the same in LogType Tail', async () => {
    const name = (await deploy(lambda, [{ name: 'index.js', content: NODE_SOURCE }], { LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'INFO' } })).name;
    const first = await invoke(lambda, name, { n: 1 }, { tail: true });
    const tail = records(first.log);
    assert.deepEqual(tail.map((r) => r.type ?? r.level), ['platform.start', 'INFO', 'INFO', 'platform.report']);
    assert.deepEqual(tail[0]!.record, { requestId: first.requestId, version: '$LATEST' });
    assert.deepEqual([tail[1]!.message, tail[1]!.requestId], ['info line 1', first.requestId]);
    assert.deepEqual(tail[2]!.message, { order: 1, ok: true });
    assert.deepEqual(Object.keys(tail[3]!.record.metrics), ['durationMs', 'billedDurationMs', 'memorySizeMB', 'maxMemoryUsedMB', 'initDurationMs']);
    assert.equal(tail[3]!.record.status, 'success');
    await invoke(lambda, name, { n: 2 });
    const group = `/aws/lambda/${name}`;
    const stored = await logs.send(new FilterLogEventsCommand({ logGroupName: group }));
    assert.equal(records(stored.events!.map((e) => e.message).join('\n'))[0]!.type, 'platform.initStart');
    const errors = await logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: '{ $.level = "ERROR" }' }));
    assert.deepEqual(errors.events?.map((e) => JSON.parse(e.message!).message), ['failure for 2']);
    const reports = await logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: '{ $.type = "platform.report" && $.record.metrics.memorySizeMB = 128 }' }));
    assert.equal(reports.events?.length, 2);

    const quiet = (await deploy(lambda, [{ name: 'index.js', content: NODE_SOURCE }], { LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'ERROR', SystemLogLevel: 'WARN' } })).name;
    assert.deepEqual(records((await invoke(lambda, quiet, { n: 2 }, { tail: true })).log).map((r) => [r.level, r.message]), [['ERROR', 'failure for 2']]);
  });

  it("writes Python's logging as JSON records with LogFormat JSON and into a custom log group made with CreateLogGroup", async () => {
    const custom = `/custom/${uniqueName('py')}`;
    await logs.send(new CreateLogGroupCommand({ logGroupName: custom }));
    const source = 'import logging\nlogger = logging.getLogger()\ndef handler(event, context):\n    logger.debug("hidden")\n    logger.info("processed %s", event["n"], extra={"orderId": event["n"]})\n    return event["n"]\n';
    const name = (await deploy(lambda, [{ name: 'app.py', content: source }], { Runtime: 'python3.12', Handler: 'app.handler', LoggingConfig: { LogFormat: 'JSON', LogGroup: custom } })).name;
    const done = await invoke(lambda, name, { n: 5 }, { tail: true });
    const tail = records(done.log);
    assert.deepEqual(tail.map((r) => r.type ?? r.level), ['platform.start', 'INFO', 'platform.report']);
    assert.deepEqual([tail[1]!.message, tail[1]!.orderId, tail[1]!.requestId, tail[1]!.logger], ['processed 5', 5, done.requestId, 'root']);
    const found = await logs.send(new FilterLogEventsCommand({ logGroupName: custom, filterPattern: '{ $.orderId = 5 }' }));
    assert.equal(found.events?.length, 1);
  });

  it('refuses a log level with the Text log format as Lambda does', async () => {
    await rejectsWith(
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: textFn, LoggingConfig: { ApplicationLogLevel: 'DEBUG' } })),
      InvalidParameterValueException,
      400,
      'LogLevel is not supported when LogFormat is set to "Text". Remove LogLevel from your request or change the LogFormat to "Json" and try again.',
    );
  });

  describe('through the AWS CLI v2', () => {
    const skip = requirePrerequisite('the AWS CLI', existsSync(AWS_CLI), `${AWS_CLI} is absent: install the Debian package awscli (npm run setup does)`);
    const env = () => ({ ...process.env, AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: ''});
    const aws = async (...args: string[]) => (await run(AWS_CLI, ['--endpoint-url', flint.endpoint, ...args], { env: env() })).stdout;

    it('prints a log group with aws logs tail, filtered with --filter-pattern, and aws logs filter-log-events', { skip }, async () => {
      const all = await aws('logs', 'tail', `/aws/lambda/${textFn}`, '--since', '1h');
      assert.match(all, /\[\$LATEST\][0-9a-f]{32} START RequestId: /);
      assert.match(all, /\tINFO\tinfo line 2\n/);
      const filtered = await aws('logs', 'tail', `/aws/lambda/${textFn}`, '--since', '1h', '--format', 'short', '--filter-pattern', '?"failure for" ?"info line 1"');
      assert.deepEqual(filtered.trim().split('\n').map((l) => l.split('\t').slice(2).join('\t')), ['INFO\tinfo line 1', 'ERROR\tfailure for 2']);
      const out = JSON.parse(await aws('logs', 'filter-log-events', '--log-group-name', `/aws/lambda/${textFn}`, '--filter-pattern', 'REPORT')) as { events: Array<{ message: string }> };
      assert.equal(out.events.length, 2);
      await assert.rejects(aws('logs', 'tail', '/aws/lambda/no-such-function'), /ResourceNotFoundException\) when calling the FilterLogEvents operation: The specified log group does not exist\./);
    });

    it('keeps printing new events with aws logs tail --follow', { skip, timeout: 60_000 }, async () => {
      const child = spawn(AWS_CLI, ['--endpoint-url', flint.endpoint, 'logs', 'tail', `/aws/lambda/${textFn}`, '--follow', '--format', 'short'], { env: env() });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      try {
        await waitFor(() => out.includes('info line 2'), { timeoutMs: 20_000, everyMs: 100, what: () => `the existing events:\n${out}` });
        await invoke(lambda, textFn, { n: 3 });
        await waitFor(() => out.includes('info line 3'), { timeoutMs: 20_000, everyMs: 100, what: () => `the new invocation's events:\n${out}` });
        assert.equal(out.split('info line 2').length, 2, 'an event already printed is not printed again');
        assert.equal(child.exitCode, null, 'still following');
      } finally {
        child.kill('SIGTERM');
      }
    });
  });
});
