/**
 * Asynchronous invocation end to end, through @aws-sdk/client-lambda against a
 * real Flint: 202 and delivery, retries, destinations, event age, InvokeAsync,
 * the event-invoke-config API, the dead-letter store (API and CLI), stats, and
 * reserved concurrency 0. Handlers are observed through recorder functions used
 * as destinations, and through their log groups.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  DeleteFunctionEventInvokeConfigCommand,
  GetFunctionEventInvokeConfigCommand,
  InvalidParameterValueException,
  InvokeAsyncCommand,
  InvokeCommand,
  ListFunctionEventInvokeConfigsCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
  ResourceNotFoundException,
  UpdateFunctionConfigurationCommand,
  UpdateFunctionEventInvokeConfigCommand,
  waitUntilFunctionUpdatedV2,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { removeDataDir, startFlintProcess, type FlintProcess } from '../helpers/flint-process.ts';
import { arnOf, rejectsWith, uniqueName } from './lambda-support.ts';
import { asyncStats, deployHandler, deployRecorder, eventually, FAST_ASYNC_FLAGS, logMessages, openQueueDatabase, recordFor, records } from './async-support.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);
const ECHO = 'exports.handler = async (e) => ({ echo: e });';
const FAILING = "exports.handler = async (e) => { console.log('attempt for', JSON.stringify(e)); throw new Error('boom ' + e.n); };";

describe('asynchronous invocation through the AWS SDK', () => {
  let flint: FlintProcess;
  let lambda: LambdaClient;
  let recorder: string;

  before(async () => {
    flint = await startFlintProcess({ args: FAST_ASYNC_FLAGS });
    lambda = flint.client();
    recorder = await deployRecorder(lambda);
  });
  after(async () => {
    await flint.stop();
    removeDataDir(flint.dataDir);
  });

  const invokeEvent = async (name: string, payload: unknown) => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(payload)) }));
    return { status: out.StatusCode, executedVersion: out.ExecutedVersion, requestId: out.$metadata.requestId! };
  };
  /** Runs `flint dlq <args>` on this server's data directory. */
  const cli = async (...args: string[]) => (await run(process.execPath, [join(ROOT, 'bin', 'flint.mjs'), 'dlq', ...args, '--endpoint', flint.endpoint], { cwd: ROOT })).stdout;
  const deadLetters = async (fn: string) => (await (await fetch(`${flint.endpoint}/flint/dlq?FunctionName=${fn}`)).json()) as { DeadLetters: Array<{ Id: number; RequestId: string; Condition: string }> };
  const destinations = (onSuccess?: string, onFailure?: string) => ({
    OnSuccess: onSuccess === undefined ? undefined : { Destination: arnOf(onSuccess) },
    OnFailure: onFailure === undefined ? undefined : { Destination: arnOf(onFailure) },
  });

  it('answers an Event invoke with 202 and delivers the function response to OnSuccess', async () => {
    const fn = await deployHandler(lambda, ECHO);
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: fn, DestinationConfig: destinations(recorder) }));
    const accepted = await invokeEvent(fn, { hello: 'world' });
    assert.equal(accepted.status, 202);
    assert.equal(accepted.executedVersion, undefined);
    const record = await recordFor(flint.dataDir, recorder, accepted.requestId);
    assert.equal(record.version, '1.0');
    assert.match(record.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(record.requestContext, { requestId: accepted.requestId, functionArn: `${arnOf(fn)}:$LATEST`, condition: 'Success', approximateInvokeCount: 1 });
    assert.deepEqual(record.requestPayload, { hello: 'world' });
    assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST' });
    assert.deepEqual(record.responsePayload, { echo: { hello: 'world' } });
    const log = await logMessages(flint.dataDir, fn);
    assert.ok(log.includes(`START RequestId: ${accepted.requestId} Version: $LATEST`), 'the handler ran under the accepted request id');
  });

  it('runs a failing handler exactly 1 + MaximumRetryAttempts times and sends RetriesExhausted to OnFailure', async () => {
    const twice = await deployHandler(lambda, FAILING);
    const thrice = await deployHandler(lambda, FAILING);
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: twice, MaximumRetryAttempts: 1, DestinationConfig: destinations(undefined, recorder) }));
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: thrice, DestinationConfig: destinations(undefined, recorder) }));
    const [a, b] = await Promise.all([invokeEvent(twice, { n: 1 }), invokeEvent(thrice, { n: 2 })]);
    for (const [fn, accepted, runs] of [[twice, a, 2], [thrice, b, 3]] as const) {
      const record = await recordFor(flint.dataDir, recorder, accepted.requestId);
      assert.equal(record.requestContext.condition, 'RetriesExhausted');
      assert.equal(record.requestContext.approximateInvokeCount, runs);
      assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
      assert.equal((record.responsePayload as { errorMessage: string }).errorMessage, `boom ${accepted === a ? 1 : 2}`);
      const log = await logMessages(flint.dataDir, fn);
      assert.equal(log.filter((l) => l === `START RequestId: ${accepted.requestId} Version: $LATEST`).length, runs, `${fn} ran ${runs} times`);
      const attempts = log.filter((l) => l.startsWith(`ASYNC RequestId: ${accepted.requestId}\t`)).map((l) => l.split('\t')[1]);
      assert.deepEqual(attempts, Array.from({ length: runs }, (_, i) => `Attempt: ${i + 1} of ${runs}`), 'each attempt number is in the function log');
    }
  });

  it('drops an event older than MaximumEventAgeInSeconds to OnFailure with EventAgeExceeded', async () => {
    const fn = await deployHandler(lambda, FAILING);
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: fn, MaximumEventAgeInSeconds: 60, DestinationConfig: destinations(undefined, recorder) }));
    const accepted = await invokeEvent(fn, { n: 3 });
    // After the first attempt, while the retry waits, let 61 s pass for this event by ageing its row.
    const db = openQueueDatabase(flint.dataDir);
    try {
      await eventually(async () => {
        const aged = db
          .prepare("UPDATE async_events SET accepted_ms = accepted_ms - 61000, visible_at_ms = 0 WHERE request_id = ? AND state = 'Queued' AND invoke_count = 1")
          .run(accepted.requestId);
        return aged.changes === 1 ? true : undefined;
      }, 'the first attempt');
    } finally {
      db.close();
    }
    const record = await recordFor(flint.dataDir, recorder, accepted.requestId);
    assert.equal(record.requestContext.condition, 'EventAgeExceeded');
    assert.equal(record.requestContext.approximateInvokeCount, 1);
    assert.equal(record.responseContext?.functionError, 'Unhandled', 'the last response goes with the record');
    const stats = await asyncStats(flint.endpoint);
    assert.ok(stats.counters.droppedByAge! >= 1);
  });

  it('accepts InvokeAsync with 202 and {"Status":202} and runs the handler', async () => {
    const fn = await deployHandler(lambda, ECHO);
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: fn, DestinationConfig: destinations(recorder) }));
    const out = await lambda.send(new InvokeAsyncCommand({ FunctionName: fn, InvokeArgs: Buffer.from('{"via":"InvokeAsync"}') }));
    assert.equal(out.Status, 202);
    const record = await recordFor(flint.dataDir, recorder, out.$metadata.requestId);
    assert.deepEqual(record.responsePayload, { echo: { via: 'InvokeAsync' } });
  });

  it('refuses an Event payload over 1 MB, bad JSON and an unknown function before accepting anything', async () => {
    const fn = await deployHandler(lambda, ECHO);
    const before = (await asyncStats(flint.endpoint)).counters.accepted;
    const big = Buffer.from(JSON.stringify({ x: 'y'.repeat(1024 * 1024) }));
    await rejectsWith(
      lambda.send(new InvokeCommand({ FunctionName: fn, InvocationType: 'Event', Payload: big })),
      'RequestEntityTooLargeException',
      413,
      `${big.length} byte payload is too large for the Event invocation type (limit 1048576 bytes)`,
    );
    await rejectsWith(lambda.send(new InvokeCommand({ FunctionName: fn, InvocationType: 'Event', Payload: Buffer.from('{nope') })), 'InvalidRequestContentException', 400, /^Could not parse request body into json/);
    await rejectsWith(lambda.send(new InvokeCommand({ FunctionName: 'no-such-fn', InvocationType: 'Event' })), ResourceNotFoundException, 404, `Function not found: ${arnOf('no-such-fn')}:$LATEST`);
    assert.equal((await asyncStats(flint.endpoint)).counters.accepted, before);
  });

  it('manages event invoke configs: Put overwrites, Update merges, Get, List and Delete', async () => {
    const fn = await deployHandler(lambda, ECHO);
    const put = await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: fn, MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 3600 }));
    assert.equal(put.FunctionArn, `${arnOf(fn)}:$LATEST`);
    assert.ok(put.LastModified instanceof Date && Math.abs(put.LastModified.getTime() - Date.now()) < 60_000, 'LastModified is epoch seconds');
    assert.deepEqual([put.MaximumRetryAttempts, put.MaximumEventAgeInSeconds, put.DestinationConfig], [0, 3600, { OnSuccess: {}, OnFailure: {} }]);
    const updated = await lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: fn, DestinationConfig: destinations(undefined, recorder) }));
    assert.deepEqual([updated.MaximumRetryAttempts, updated.MaximumEventAgeInSeconds, updated.DestinationConfig?.OnFailure?.Destination], [0, 3600, arnOf(recorder)]);
    const overwritten = await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: fn, MaximumRetryAttempts: 1 }));
    assert.deepEqual([overwritten.MaximumRetryAttempts, overwritten.MaximumEventAgeInSeconds, overwritten.DestinationConfig], [1, undefined, { OnSuccess: {}, OnFailure: {} }]);
    const got = await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: arnOf(fn), Qualifier: '$LATEST' }));
    assert.equal(got.MaximumRetryAttempts, 1);
    const listed = await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: fn }));
    assert.deepEqual(listed.FunctionEventInvokeConfigs?.map((c) => c.FunctionArn), [`${arnOf(fn)}:$LATEST`]);
    await lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: fn }));
    const noConfig = `The function ${arnOf(fn)}:$LATEST doesn't have an EventInvokeConfig`;
    await rejectsWith(lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: fn })), ResourceNotFoundException, 404, noConfig);
    await rejectsWith(lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: fn })), ResourceNotFoundException, 404, noConfig);
    await rejectsWith(lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: fn, MaximumRetryAttempts: 1 })), ResourceNotFoundException, 404, noConfig);
    assert.deepEqual((await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: fn }))).FunctionEventInvokeConfigs, []);
  });

  it('validates event invoke configs with Lambda\'s errors and changes nothing', async () => {
    const fn = await deployHandler(lambda, ECHO);
    const put = (input: Omit<ConstructorParameters<typeof PutFunctionEventInvokeConfigCommand>[0], 'FunctionName'>, name = fn) =>
      lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, ...input }));
    await rejectsWith(put({ MaximumRetryAttempts: 3 }), 'ValidationException', 400, "1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2");
    await rejectsWith(put({ MaximumEventAgeInSeconds: 59 }), 'ValidationException', 400, "1 validation error detected: Value '59' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60");
    await rejectsWith(put({ DestinationConfig: { OnFailure: { Destination: 'nope' } } }), 'ValidationException', 400, /^1 validation error detected: Value 'nope' at 'destinationConfig.onFailure.destination' failed to satisfy constraint: Member must satisfy regular expression pattern: \^\$\|arn:/);
    await rejectsWith(put({}), InvalidParameterValueException, 400, 'You must specify at least one of error handling or destination setting.');
    await rejectsWith(put({ MaximumRetryAttempts: 1 }, uniqueName('missing')), ResourceNotFoundException, 404, "The function doesn't exist.");
    await rejectsWith(put({ DestinationConfig: destinations(fn) }), InvalidParameterValueException, 400, "You can't specify the function as a destination for itself.");
    await rejectsWith(put({ DestinationConfig: destinations('no-such-destination') }), InvalidParameterValueException, 400, `The destination ARN ${arnOf('no-such-destination')} is invalid.`);
    await rejectsWith(
      put({ DestinationConfig: { OnFailure: { Destination: 'arn:aws:sns:us-east-1:000000000000:topic' } } }),
      InvalidParameterValueException,
      400,
      /^Flint doesn't support Amazon SNS topic destinations yet \(arn:aws:sns:us-east-1:000000000000:topic\)\. Only Lambda function ARNs .* and Amazon SQS queue ARNs/,
    );
    await rejectsWith(lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: fn, MaxItems: 51 })), 'ValidationException', 400, /at 'maxItems'/);
    await rejectsWith(lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: fn })), ResourceNotFoundException, 404);
  });

  it('keeps failed events without a destination in the dead-letter store, which flint dlq lists, shows and redrives', async () => {
    const fn = await deployHandler(lambda, "exports.handler = async (e) => { if (process.env.MODE !== 'fixed') throw new Error('not yet'); return { fixed: e }; };");
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: fn, MaximumRetryAttempts: 0 }));
    const accepted = await invokeEvent(fn, { order: 42 });
    const dlq = () => deadLetters(fn);
    const [letter] = await eventually(async () => ((await dlq()).DeadLetters.length > 0 ? (await dlq()).DeadLetters : undefined), 'the dead letter');
    assert.deepEqual([letter!.RequestId, letter!.Condition], [accepted.requestId, 'RetriesExhausted']);

    const listed = JSON.parse(await cli('list', '--function', fn, '--json')) as Array<{ Id: number; RequestId: string }>;
    assert.deepEqual(listed.map((l) => l.RequestId), [accepted.requestId]);
    const shown = JSON.parse(await cli('show', String(letter!.Id))) as { Payload: unknown; ApproximateInvokeCount: number; LastResponse: { FunctionError: string; Payload: { errorMessage: string } } };
    assert.deepEqual(shown.Payload, { order: 42 });
    assert.equal(shown.ApproximateInvokeCount, 1);
    assert.deepEqual([shown.LastResponse.FunctionError, shown.LastResponse.Payload.errorMessage], ['Unhandled', 'not yet']);

    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn, Environment: { Variables: { MODE: 'fixed' } } }));
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 20, minDelay: 1 }, { FunctionName: fn });
    await lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: fn, DestinationConfig: destinations(recorder) }));
    assert.equal((await cli('redrive', String(letter!.Id))).trim(), 'redriven 1');
    const record = await recordFor(flint.dataDir, recorder, accepted.requestId);
    assert.deepEqual(record.responsePayload, { fixed: { order: 42 } });
    assert.deepEqual((await dlq()).DeadLetters, []);
    const missing = await fetch(`${flint.endpoint}/flint/dlq/${letter!.Id}`);
    assert.equal(missing.status, 404);
  });

  it('reports queue depth, ages and counters at /flint/async/stats, counting its own deliveries, retries and redrives', async () => {
    const before = await asyncStats(flint.endpoint);
    const echo = await deployHandler(lambda, ECHO);
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: echo, DestinationConfig: destinations(recorder) }));
    const failing = await deployHandler(lambda, FAILING);
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: failing, MaximumRetryAttempts: 1 }));
    const [delivered, failed] = await Promise.all([invokeEvent(echo, { n: 1 }), invokeEvent(failing, { n: 2 })]);
    await recordFor(flint.dataDir, recorder, delivered.requestId);
    const letter = await eventually(async () => (await deadLetters(failing)).DeadLetters.find((l) => l.RequestId === failed.requestId), 'the dead letter');
    assert.equal((await cli('redrive', String(letter.Id))).trim(), 'redriven 1');

    const stats = (await (await fetch(`${flint.endpoint}/flint/async/stats`)).json()) as Record<string, unknown> & { counters: Record<string, number>; pollers: { max: number } };
    for (const key of ['queueDepth', 'ready', 'delayed', 'inFlight', 'oldestEventAgeMs', 'deadLetters', 'functions']) assert.ok(key in stats, key);
    assert.equal(stats.pollers.max, 64);
    const grew = (counter: string) => stats.counters[counter]! - (before.counters[counter] ?? 0);
    assert.ok(grew('accepted') >= 2, `accepted grew by ${grew('accepted')}`);
    assert.ok(grew('retried') >= 1, `retried grew by ${grew('retried')}`);
    assert.ok(grew('sentToDestination') >= 1, `sentToDestination grew by ${grew('sentToDestination')}`);
    assert.ok(grew('deadLettered') >= 1, `deadLettered grew by ${grew('deadLettered')}`);
    assert.equal(grew('redriven'), 1);
  });

  it('accepts events for a function with reserved concurrency 0, keeps them queued, and drains them when it is raised', async () => {
    const fn = await deployHandler(lambda, ECHO);
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: fn, ReservedConcurrentExecutions: 0 }));
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: fn, DestinationConfig: destinations(recorder) }));
    const accepted = await Promise.all([1, 2, 3].map((n) => invokeEvent(fn, { n })));
    assert.deepEqual(accepted.map((a) => a.status), [202, 202, 202]);
    await new Promise((r) => setTimeout(r, 1000));
    const waiting = (await asyncStats(flint.endpoint)) as unknown as { functions: Array<{ functionName: string; depth: number }> };
    assert.equal(waiting.functions.find((f) => f.functionName === fn)?.depth, 3, 'all three wait in the queue');
    const ids = new Set(accepted.map((a) => a.requestId));
    assert.equal((await records(flint.dataDir, recorder)).filter((r) => ids.has(r.requestContext.requestId)).length, 0, 'none ran');
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: fn, ReservedConcurrentExecutions: 2 }));
    for (const a of accepted) await recordFor(flint.dataDir, recorder, a.requestId);
  });
});
