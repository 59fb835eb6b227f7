/**
 * Async destinations and dead-letter queues that name Flint's own SQS queues, end to end through
 * @aws-sdk/client-lambda and @aws-sdk/client-sqs against a real Flint: OnSuccess and OnFailure
 * queues get Lambda's invocation record, a DeadLetterConfig queue gets the event with RequestID,
 * ErrorCode and ErrorMessage, and a queue that does not exist loses nothing (the event stays in
 * Flint's dead-letter store, the failure is counted) and breaks nothing.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  InvalidParameterValueException,
  InvokeCommand,
  PutFunctionEventInvokeConfigCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { removeDataDir, startFlintProcess, type FlintProcess } from '../helpers/flint-process.ts';
import { arnOf, rejectsWith, uniqueName } from './lambda-support.ts';
import { asyncStats, deployHandler, eventually, FAST_ASYNC_FLAGS, type DestinationRecord } from './async-support.ts';
import { deploy } from './invoke-support.ts';
import { queueName, sqsClient } from './sqs-support.ts';

const ECHO = 'exports.handler = async (e) => ({ echo: e });';
const FAILING = "exports.handler = async (e) => { throw new Error('boom ' + e.n); };";

describe('async destinations and dead-letter queues on Flint\'s SQS queues', () => {
  let flint: FlintProcess;
  let lambda: LambdaClient;
  let sqs: SQSClient;

  before(async () => {
    flint = await startFlintProcess({ args: FAST_ASYNC_FLAGS });
    lambda = flint.client();
    sqs = sqsClient(flint.endpoint);
  });
  after(async () => {
    sqs?.destroy();
    await flint.stop();
    removeDataDir(flint.dataDir);
  });

  /** A new queue: its URL and ARN (as GetQueueAttributes answers it). */
  const newQueue = async (prefix: string) => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: queueName(prefix) }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    return { url: QueueUrl!, arn: Attributes!.QueueArn! };
  };
  /** The first message the queue hands out (long polls until one comes; a bound for failure only). */
  const receiveOne = (url: string): Promise<Message> =>
    eventually(async () => {
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 2, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
      assert.ok((out.Messages ?? []).length <= 1, `one message, not ${out.Messages?.length}`);
      return out.Messages?.[0];
    }, `a message on ${url}`);
  const invokeEvent = async (name: string, payload: unknown) => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(payload)) }));
    assert.equal(out.StatusCode, 202);
    return out.$metadata.requestId!;
  };

  it('sends Lambda\'s Success record to an OnSuccess queue', async () => {
    const q = await newQueue('on-success');
    const fn = await deployHandler(lambda, ECHO);
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: fn, DestinationConfig: { OnSuccess: { Destination: q.arn } } }));
    const shown = await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: fn }));
    assert.equal(shown.DestinationConfig?.OnSuccess?.Destination, q.arn);

    const requestId = await invokeEvent(fn, { n: 1 });
    const message = await receiveOne(q.url);
    const record = JSON.parse(message.Body!) as DestinationRecord;
    assert.equal(record.version, '1.0');
    assert.ok(!Number.isNaN(Date.parse(record.timestamp)) && record.timestamp.endsWith('Z'), record.timestamp);
    assert.deepEqual(record.requestContext, { requestId, functionArn: `${arnOf(fn)}:$LATEST`, condition: 'Success', approximateInvokeCount: 1 });
    assert.deepEqual(record.requestPayload, { n: 1 });
    assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST' });
    assert.deepEqual(record.responsePayload, { echo: { n: 1 } });
  });

  it('sends the RetriesExhausted record to an OnFailure queue once the retries are used', async () => {
    const q = await newQueue('on-failure');
    const fn = await deployHandler(lambda, FAILING);
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: fn, MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: q.arn } } }));

    const requestId = await invokeEvent(fn, { n: 2 });
    const record = JSON.parse((await receiveOne(q.url)).Body!) as DestinationRecord;
    assert.deepEqual(record.requestContext, { requestId, functionArn: `${arnOf(fn)}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 1 });
    assert.deepEqual(record.requestPayload, { n: 2 });
    assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    assert.equal((record.responsePayload as { errorMessage: string }).errorMessage, 'boom 2');
    const letters = (await (await fetch(`${flint.endpoint}/flint/dlq?FunctionName=${fn}`)).json()) as { DeadLetters: unknown[] };
    assert.deepEqual(letters.DeadLetters, [], 'the queue took the event: nothing is left in Flint\'s dead-letter store');
  });

  it('sends a failed event to the DeadLetterConfig queue with RequestID, ErrorCode and ErrorMessage', async () => {
    const dlq = await newQueue('dlq');
    const fn = uniqueName('dlq-fn');
    await deploy(lambda, [{ name: 'index.js', content: FAILING }], { FunctionName: fn, DeadLetterConfig: { TargetArn: dlq.arn } });
    assert.deepEqual((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn }))).DeadLetterConfig, { TargetArn: dlq.arn });
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: fn, MaximumRetryAttempts: 0 }));

    const requestId = await invokeEvent(fn, { n: 3 });
    const message = await receiveOne(dlq.url);
    assert.deepEqual(JSON.parse(message.Body!), { n: 3 }, 'the event itself is the body');
    assert.deepEqual(message.MessageAttributes, {
      RequestID: { DataType: 'String', StringValue: requestId },
      ErrorCode: { DataType: 'Number', StringValue: '200' },
      ErrorMessage: { DataType: 'String', StringValue: 'boom 3' },
    });
    assert.ok((await asyncStats(flint.endpoint)).counters.sentToDeadLetterQueue! >= 1);

    await rejectsWith(
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn, DeadLetterConfig: { TargetArn: 'arn:aws:sns:us-east-1:000000000000:topic' } })),
      InvalidParameterValueException,
      400,
      /^Flint doesn't support Amazon SNS topic dead-letter targets/,
    );
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn, DeadLetterConfig: { TargetArn: '' } }));
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 20, minDelay: 1 }, { FunctionName: fn });
    assert.equal((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn }))).DeadLetterConfig, undefined, 'an empty TargetArn clears it');
  });

  it('keeps an event whose destination queues do not exist, counts the failures, and keeps serving', async () => {
    const missing = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${queueName(name)}`;
    const failing = uniqueName('lost-dest');
    await deploy(lambda, [{ name: 'index.js', content: FAILING }], { FunctionName: failing, DeadLetterConfig: { TargetArn: missing('no-dlq') } });
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: failing, MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: missing('no-failure-q') } } }));
    const echo = await deployHandler(lambda, ECHO);
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: echo, DestinationConfig: { OnSuccess: { Destination: missing('no-success-q') } } }));
    const before = (await asyncStats(flint.endpoint)).counters;

    const requestId = await invokeEvent(failing, { n: 4 });
    await invokeEvent(echo, { n: 5 });
    const letters = async () => ((await (await fetch(`${flint.endpoint}/flint/dlq?FunctionName=${failing}`)).json()) as { DeadLetters: Array<{ RequestId: string; Condition: string }> }).DeadLetters;
    const [letter] = await eventually(async () => ((await letters()).length > 0 ? letters() : undefined), 'the event in Flint\'s dead-letter store');
    assert.deepEqual([letter!.RequestId, letter!.Condition], [requestId, 'RetriesExhausted']);
    const grew = async (name: string) => (await asyncStats(flint.endpoint)).counters[name]! - (before[name] ?? 0);
    await eventually(async () => ((await grew('destinationDeliveryFailures')) >= 2 ? true : undefined), 'both destination failures counted');
    assert.equal(await grew('deadLetterErrors'), 1);

    const sync = await lambda.send(new InvokeCommand({ FunctionName: echo, Payload: Buffer.from('{"still":"up"}') }));
    assert.deepEqual(JSON.parse(Buffer.from(sync.Payload!).toString()), { echo: { still: 'up' } });
  });
});
