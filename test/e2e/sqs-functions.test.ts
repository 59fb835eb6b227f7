/**
 * Functions reach Flint's queues as Lambda functions reach SQS: the runtime carries
 * @aws-sdk/client-sqs and the environment names the endpoint (AWS_ENDPOINT_URL_SQS), so a handler
 * that builds `new SQSClient({})` with no configuration sends to a Flint queue.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { useFlint } from '../helpers/flint-process.ts';
import { deploy, invoke } from './invoke-support.ts';
import { queueName, sqsClient } from './sqs-support.ts';

describe('SQS from functions', () => {
  const server = useFlint();

  it('lets a handler send to a Flint queue with @aws-sdk/client-sqs configured only by its environment', async () => {
    const sqs = sqsClient(server.flint.endpoint);
    try {
      const name = queueName('from-fn');
      const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
      const fn = await deploy(
        server.client,
        [{
          name: 'index.js',
          content: `const { SQSClient, GetQueueUrlCommand, SendMessageCommand } = require('@aws-sdk/client-sqs');
            const sqs = new SQSClient({});
            exports.handler = async (e) => {
              const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: e.queue }));
              const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify({ from: process.env.AWS_LAMBDA_FUNCTION_NAME }),
                MessageAttributes: { kind: { DataType: 'String', StringValue: 'greeting' } } }));
              return { endpoint: process.env.AWS_ENDPOINT_URL_SQS, queueUrl: QueueUrl, messageId: sent.MessageId };
            };`,
        }],
        { Timeout: 15, MemorySize: 512 },
      );
      const r = await invoke(server.client, fn.name, { queue: name });
      assert.equal(r.functionError, undefined, r.text);
      assert.match(r.json.endpoint, /^http:\/\/host\.flint\.internal:\d+$/);
      assert.equal(r.json.queueUrl, `${r.json.endpoint}/000000000000/${name}`, 'the queue URL on the endpoint the function used');

      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5, MessageAttributeNames: ['All'] }));
      assert.deepEqual(Messages?.map((m) => [m.MessageId, JSON.parse(m.Body!), m.MessageAttributes?.kind?.StringValue]), [[r.json.messageId, { from: fn.name }, 'greeting']]);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: Messages![0]!.ReceiptHandle }));
    } finally {
      sqs.destroy();
    }
  });
});
