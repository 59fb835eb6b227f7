/**
 * The event source mapping API through @aws-sdk/client-lambda, over queues made with
 * @aws-sdk/client-sqs on the same Flint (started in-process). Mappings that run a function are
 * in event-source-mapping.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  GetFunctionConfigurationCommand,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { resolveConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/shared/index.ts';
import { startFlint, type RunningFlint } from '../../src/main.ts';
import { lambdaClient, removeDataDir } from '../helpers/flint-process.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { sqsClient } from './sqs-support.ts';
import { deploy } from './invoke-support.ts';
import { uniqueName } from './lambda-support.ts';

let flint: RunningFlint;
let client: LambdaClient;
let dataDir: string;
let sqs: SQSClient;

/** A new queue's ARN. */
async function createQueue(name: string): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  return (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'flint-esm-'));
  flint = await startFlint(resolveConfig({ flags: { port: 0, dataDir } }), createLogger('warn'));
  client = lambdaClient(flint.endpoint);
  sqs = sqsClient(flint.endpoint);
});
after(async () => {
  client.destroy();
  sqs.destroy();
  await flint.stop();
  removeDataDir(dataDir);
});

async function rejects(promise: Promise<unknown>, name: string, message: string | RegExp): Promise<void> {
  await assert.rejects(promise, (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(err.name, name);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

const stateOf = async (uuid: string) => (await client.send(new GetEventSourceMappingCommand({ UUID: uuid }))).State;

describe('event source mapping API', () => {
  let fn: string;
  let queue: string;
  before(async () => {
    fn = uniqueName('esm');
    await deploy(client, [{ name: 'index.js', content: 'exports.handler = async () => ({});' }], { FunctionName: fn });
    queue = await createQueue(uniqueName('q'));
  });

  it('creates (Creating, then Enabled), gets, lists, updates through Disabling / Enabling, and deletes', async () => {
    const created = await client.send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: queue, BatchSize: 5, FunctionResponseTypes: ['ReportBatchItemFailures'], ScalingConfig: { MaximumConcurrency: 3 }, FilterCriteria: { Filters: [{ Pattern: '{"body":{"k":["v"]}}' }] } }));
    assert.equal(created.$metadata.httpStatusCode, 202);
    assert.equal(created.State, 'Creating');
    assert.equal(created.StateTransitionReason, 'USER_INITIATED');
    assert.match(created.UUID!, /^[0-9a-f-]{36}$/);
    assert.equal(created.FunctionArn, `arn:aws:lambda:us-east-1:${flint.config.accountId}:function:${fn}`);
    assert.equal(created.EventSourceArn, queue);
    assert.equal(created.BatchSize, 5);
    assert.equal(created.MaximumBatchingWindowInSeconds, 0);
    assert.deepEqual(created.FunctionResponseTypes, ['ReportBatchItemFailures']);
    assert.deepEqual(created.ScalingConfig, { MaximumConcurrency: 3 });
    assert.deepEqual(created.FilterCriteria, { Filters: [{ Pattern: '{"body":{"k":["v"]}}' }] });
    assert.ok(created.LastModified instanceof Date);
    const uuid = created.UUID!;
    await waitFor(async () => (await stateOf(uuid)) === 'Enabled', { what: 'Enabled' });

    const listed = await client.send(new ListEventSourceMappingsCommand({ FunctionName: fn }));
    assert.deepEqual(listed.EventSourceMappings!.map((m) => m.UUID), [uuid]);
    assert.deepEqual((await client.send(new ListEventSourceMappingsCommand({ EventSourceArn: queue }))).EventSourceMappings!.map((m) => m.UUID), [uuid]);

    const disabled = await client.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false, BatchSize: 7 }));
    assert.equal(disabled.$metadata.httpStatusCode, 202);
    assert.equal(disabled.State, 'Disabling');
    assert.equal(disabled.BatchSize, 7);
    await waitFor(async () => (await stateOf(uuid)) === 'Disabled', { what: 'Disabled' });
    assert.equal((await client.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: true }))).State, 'Enabling');
    await waitFor(async () => (await stateOf(uuid)) === 'Enabled', { what: 'Enabled again' });

    const deleted = await client.send(new DeleteEventSourceMappingCommand({ UUID: uuid }));
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    assert.equal(deleted.State, 'Deleting');
    await waitFor(async () => (await client.send(new ListEventSourceMappingsCommand({ FunctionName: fn }))).EventSourceMappings!.length === 0, { what: 'deleted' });
    await rejects(client.send(new GetEventSourceMappingCommand({ UUID: uuid })), 'ResourceNotFoundException', 'The resource you requested does not exist.');
  });

  it('pages the list with MaxItems and Marker', async () => {
    const q2 = await createQueue(uniqueName('q'));
    const q3 = await createQueue(uniqueName('q'));
    const a = await client.send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: q2, Enabled: false }));
    const b = await client.send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: q3, Enabled: false }));
    const first = await client.send(new ListEventSourceMappingsCommand({ FunctionName: fn, MaxItems: 1 }));
    assert.equal(first.EventSourceMappings!.length, 1);
    assert.ok(first.NextMarker);
    const second = await client.send(new ListEventSourceMappingsCommand({ FunctionName: fn, MaxItems: 1, Marker: first.NextMarker }));
    assert.deepEqual([first, second].flatMap((p) => p.EventSourceMappings!.map((m) => m.UUID)).sort(), [a.UUID, b.UUID].sort());
    assert.equal(second.NextMarker, undefined);
    await waitFor(async () => (await stateOf(a.UUID!)) === 'Disabled', { what: 'created disabled' });
    for (const m of [a, b]) await client.send(new DeleteEventSourceMappingCommand({ UUID: m.UUID }));
  });

  it('answers every error with Lambda\'s code and text', async () => {
    const create = (input: Record<string, unknown>) => client.send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: queue, ...input }));
    await rejects(create({ EventSourceArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s' }), 'InvalidParameterValueException', 'Unrecognized event source.');
    await rejects(client.send(new CreateEventSourceMappingCommand({ FunctionName: fn })), 'InvalidParameterValueException', 'Unrecognized event source.');
    await rejects(create({ EventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:no-such-queue' }), 'InvalidParameterValueException', /^Error occurred while ReceiveMessage\. SQS Error Code: AWS\.SimpleQueueService\.NonExistentQueue/);
    await rejects(create({ FunctionName: 'no-such-function' }), 'InvalidParameterValueException', 'Function does not exist');
    const { QueueUrl: shortUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('short'), Attributes: { VisibilityTimeout: '1' } }));
    const shortArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: shortUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    const timeout = (await client.send(new GetFunctionConfigurationCommand({ FunctionName: fn }))).Timeout!;
    await rejects(create({ EventSourceArn: shortArn }), 'InvalidParameterValueException', `Queue visibility timeout: 1 seconds is less than Function timeout: ${timeout} seconds`);
    await rejects(create({ BatchSize: 11 }), 'InvalidParameterValueException', 'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10');
    await rejects(create({ BatchSize: 0 }), 'ValidationException', "1 validation error detected: Value '0' at 'batchSize' failed to satisfy constraint: Member must have value greater than or equal to 1");
    await rejects(create({ BatchSize: 10_001, MaximumBatchingWindowInSeconds: 1 }), 'ValidationException', /Member must have value less than or equal to 10000/);
    await rejects(create({ ScalingConfig: { MaximumConcurrency: 1 } }), 'ValidationException', /at 'scalingConfig.maximumConcurrency'/);
    await rejects(create({ FilterCriteria: { Filters: [{ Pattern: '{"body":"x"}' }] } }), 'InvalidParameterValueException', 'Invalid filter pattern definition.');
    await rejects(create({ StartingPosition: 'LATEST' }), 'InvalidParameterValueException', 'Unsupported StartingPosition parameter for given event source mapping type.');
    // SQS mappings take no destinations (failed messages go to the queue's own redrive policy)
    const onFailure = { DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:dlq' } } };
    await rejects(create(onFailure), 'InvalidParameterValueException', 'Unsupported DestinationConfig parameter for given event source mapping type.');
    const m = await create({});
    await rejects(create({}), 'ResourceConflictException', new RegExp(`already exists\\. Please update or delete the existing mapping with UUID ${m.UUID}$`));
    await rejects(client.send(new UpdateEventSourceMappingCommand({ UUID: m.UUID, BatchSize: 50 })), 'InvalidParameterValueException', /Maximum batch window/);
    await rejects(client.send(new UpdateEventSourceMappingCommand({ UUID: m.UUID, ...onFailure })), 'InvalidParameterValueException', 'Unsupported DestinationConfig parameter for given event source mapping type.');
    await rejects(client.send(new UpdateEventSourceMappingCommand({ UUID: m.UUID, FunctionName: 'no-such-function' })), 'InvalidParameterValueException', 'Function does not exist');
    // a change of function is checked against the queue's visibility timeout (30 s by default) too
    const { name: slow } = await deploy(client, [{ name: 'index.js', content: 'exports.handler = async () => 1;' }], { Timeout: 60 });
    await rejects(client.send(new UpdateEventSourceMappingCommand({ UUID: m.UUID, FunctionName: slow })), 'InvalidParameterValueException', 'Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds');
    const missing = '00000000-0000-0000-0000-000000000000';
    await rejects(client.send(new GetEventSourceMappingCommand({ UUID: missing })), 'ResourceNotFoundException', 'The resource you requested does not exist.');
    await rejects(client.send(new UpdateEventSourceMappingCommand({ UUID: missing, Enabled: false })), 'ResourceNotFoundException', 'The resource you requested does not exist.');
    await rejects(client.send(new DeleteEventSourceMappingCommand({ UUID: missing })), 'ResourceNotFoundException', 'The resource you requested does not exist.');
    await rejects(client.send(new ListEventSourceMappingsCommand({ MaxItems: 0 })), 'ValidationException', /at 'maxItems'/);
    await client.send(new DeleteEventSourceMappingCommand({ UUID: m.UUID }));
  });
});
