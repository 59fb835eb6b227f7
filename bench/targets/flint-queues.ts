/** Queues and event source mappings on Flint through the SDKs, for the queue workload. */
import { CreateEventSourceMappingCommand, DeleteEventSourceMappingCommand, GetEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchFunction, QueueMapping } from './target.ts';

export function benchSqsClient(endpoint: string): SQSClient {
  return new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}

/** A new queue `name` on `endpoint` mapped to `fn` with BatchSize 10; resolves once the mapping is Enabled. */
export async function createQueueMapping(endpoint: string, fn: BenchFunction, name: string): Promise<QueueMapping> {
  const sqs = benchSqsClient(endpoint);
  try {
    // as long as the bench functions' timeout (60 s), as Lambda asks of a mapped queue
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '60' } }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    const { UUID } = await fn.client.send(new CreateEventSourceMappingCommand({ FunctionName: fn.name, EventSourceArn: Attributes!.QueueArn!, BatchSize: 10 }));
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { State } = await fn.client.send(new GetEventSourceMappingCommand({ UUID }));
      if (State === 'Enabled') break;
      if (Date.now() > deadline) throw new Error(`mapping ${UUID} still ${State} after 30 s`);
      await sleep(20);
    }
    return {
      sqsEndpoint: endpoint,
      queueUrl: QueueUrl!,
      fn,
      async close() {
        const closing = benchSqsClient(endpoint);
        try {
          await fn.client.send(new DeleteEventSourceMappingCommand({ UUID }));
          await closing.send(new DeleteQueueCommand({ QueueUrl }));
        } finally {
          closing.destroy();
        }
      },
    };
  } finally {
    sqs.destroy();
  }
}
