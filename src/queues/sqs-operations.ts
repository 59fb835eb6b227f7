/**
 * SQS's operations with JSON-protocol shapes (member names as in the AWS SDK's model): input
 * checked and handed to the QueueService, output built as SQS answers. The query protocol maps
 * its form to these shapes and their answers to XML (query-protocol.ts).
 */
import type { SqsStoredMessage } from '../model/index.ts';
import { md5OfMessageAttributes } from './message-md5.ts';
import { integerParameter, type MessageInput } from './message-validation.ts';
import { queueNameOfUrl, queueUrl } from './queue-address.ts';
import { systemAttributes, type QueueService } from './queue-service.ts';
import { encodeReceiptHandle } from './receipt-handle.ts';
import { invalidParameter, missingParameter, queueDoesNotExist, SqsError } from './sqs-error.ts';

export type Input = Readonly<Record<string, unknown>>;
export type Output = Record<string, unknown>;

export interface OperationContext {
  /** `http://HOST:PORT` the caller used (queue URLs are on it). */
  readonly origin: string;
  /** Aborts when the caller goes away (ends a long poll). */
  readonly signal: AbortSignal;
}

type Operation = (service: QueueService, input: Input, context: OperationContext) => Promise<Output>;

const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_BATCH_BYTES = 1048576;

export const OPERATIONS: Readonly<Record<string, Operation>> = {
  async CreateQueue(service, input, context) {
    const name = requiredString(input, 'QueueName');
    const queue = await service.createQueue(name, stringMap(input.Attributes, 'Attributes'), stringMap(input.tags ?? input.Tags, 'Tags'));
    return { QueueUrl: queueUrl(context.origin, service.account, queue.name) };
  },
  async GetQueueUrl(service, input, context) {
    const name = requiredString(input, 'QueueName');
    const owner = input.QueueOwnerAWSAccountId;
    if (owner !== undefined && owner !== service.account.accountId) throw queueDoesNotExist();
    const queue = await service.queue(name);
    return { QueueUrl: queueUrl(context.origin, service.account, queue.name) };
  },
  async ListQueues(service, input, context) {
    const prefix = typeof input.QueueNamePrefix === 'string' ? input.QueueNamePrefix : '';
    const max = integerParameter('MaxResults', input.MaxResults);
    if (max !== undefined && (max < 1 || max > 1000)) throw invalidParameter('MaxResults', max, 'MaxResults must be an integer between 1 and 1000.');
    const after = typeof input.NextToken === 'string' && input.NextToken !== '' ? Buffer.from(input.NextToken, 'base64').toString('utf8') : undefined;
    const limit = max ?? 1000;
    const queues = await service.listQueues(prefix, after, limit + 1);
    const page = queues.slice(0, limit);
    // as for ReceiveMessage, SQS leaves an empty list out (in both protocols)
    const out: Output = page.length === 0 ? {} : { QueueUrls: page.map((q) => queueUrl(context.origin, service.account, q.name)) };
    if (max !== undefined && queues.length > limit) out.NextToken = Buffer.from(page.at(-1)!.name, 'utf8').toString('base64');
    return out;
  },
  async GetQueueAttributes(service, input) {
    const names = stringList(input.AttributeNames, 'AttributeNames');
    return { Attributes: await service.attributes(queueName(service, input), names) };
  },
  async SetQueueAttributes(service, input) {
    if (input.Attributes === undefined) throw missingParameter('Attributes');
    await service.setAttributes(queueName(service, input), stringMap(input.Attributes, 'Attributes'));
    return {};
  },
  async DeleteQueue(service, input) {
    await service.deleteQueue(queueName(service, input));
    return {};
  },
  async PurgeQueue(service, input) {
    await service.purge(queueName(service, input));
    return {};
  },
  async SendMessage(service, input) {
    const [result] = await service.sendMessages(queueName(service, input), [input]);
    if (!result!.ok) throw result!.error;
    return sentOutput(result!.message);
  },
  async SendMessageBatch(service, input) {
    const name = queueName(service, input);
    const entries = batchEntries(input);
    const size = entries.reduce((n, e) => n + Buffer.byteLength(typeof e.MessageBody === 'string' ? e.MessageBody : '', 'utf8'), 0);
    if (size > MAX_BATCH_BYTES) throw new SqsError('BatchRequestTooLong', `Batch requests cannot be longer than ${MAX_BATCH_BYTES} bytes. You have sent ${size} bytes.`);
    const results = await service.sendMessages(name, entries as readonly MessageInput[]);
    const out = { Successful: [] as Output[], Failed: [] as Output[] };
    results.forEach((r, i) => {
      const Id = entries[i]!.Id;
      if (r.ok) out.Successful.push({ Id, ...sentOutput(r.message) });
      else out.Failed.push(failure(Id, r.error));
    });
    return out;
  },
  async ReceiveMessage(service, input, context) {
    const messages = await service.receiveMessages(queueName(service, input), {
      maxMessages: integerParameter('MaxNumberOfMessages', input.MaxNumberOfMessages) ?? 1,
      visibilityTimeoutSeconds: integerParameter('VisibilityTimeout', input.VisibilityTimeout),
      waitTimeSeconds: integerParameter('WaitTimeSeconds', input.WaitTimeSeconds),
      signal: context.signal,
    });
    const system = [...stringList(input.AttributeNames, 'AttributeNames'), ...stringList(input.MessageSystemAttributeNames, 'MessageSystemAttributeNames')];
    const custom = stringList(input.MessageAttributeNames, 'MessageAttributeNames');
    // SQS leaves Messages out of an empty answer (the SDK then gives `Messages: undefined`)
    return messages.length === 0 ? {} : { Messages: messages.map((m) => receivedOutput(m, system, custom)) };
  },
  async DeleteMessage(service, input) {
    await service.deleteMessage(queueName(service, input), requiredString(input, 'ReceiptHandle'));
    return {};
  },
  async DeleteMessageBatch(service, input) {
    const name = queueName(service, input);
    return eachEntry(batchEntries(input), async (e) => service.deleteMessage(name, requiredString(e, 'ReceiptHandle')));
  },
  async ChangeMessageVisibility(service, input) {
    const seconds = integerParameter('VisibilityTimeout', input.VisibilityTimeout);
    if (seconds === undefined) throw missingParameter('VisibilityTimeout');
    await service.changeMessageVisibility(queueName(service, input), requiredString(input, 'ReceiptHandle'), seconds);
    return {};
  },
  async ChangeMessageVisibilityBatch(service, input) {
    const name = queueName(service, input);
    return eachEntry(batchEntries(input), async (e) => {
      const seconds = integerParameter('VisibilityTimeout', e.VisibilityTimeout);
      if (seconds === undefined) throw missingParameter('VisibilityTimeout');
      await service.changeMessageVisibility(name, requiredString(e, 'ReceiptHandle'), seconds);
    });
  },
  async TagQueue(service, input) {
    const tags = stringMap(input.Tags, 'Tags');
    if (Object.keys(tags).length === 0) throw missingParameter('Tags');
    await service.changeTags(queueName(service, input), (current) => Object.assign(current, tags));
    return {};
  },
  async UntagQueue(service, input) {
    const keys = stringList(input.TagKeys, 'TagKeys');
    if (keys.length === 0) throw missingParameter('TagKeys');
    await service.changeTags(queueName(service, input), (current) => {
      for (const k of keys) delete current[k];
    });
    return {};
  },
  async ListQueueTags(service, input) {
    const tags = await service.tags(queueName(service, input));
    return Object.keys(tags).length === 0 ? {} : { Tags: { ...tags } };
  },
};

function queueName(service: QueueService, input: Input): string {
  const url = requiredString(input, 'QueueUrl');
  const name = queueNameOfUrl(url, service.account);
  if (name === undefined) throw queueDoesNotExist();
  return name;
}

function requiredString(input: Input, name: string): string {
  const value = input[name];
  if (value === undefined || value === null || value === '') throw missingParameter(name);
  if (typeof value !== 'string') throw invalidParameter(name, JSON.stringify(value), `${name} must be a string.`);
  return value;
}

function stringMap(raw: unknown, name: string): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidParameter(name, JSON.stringify(raw), 'Must be a map.');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) out[k] = typeof v === 'string' ? v : String(v);
  return out;
}

function stringList(raw: unknown, name: string): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string')) throw invalidParameter(name, JSON.stringify(raw), 'Must be a list of strings.');
  return raw as string[];
}

type Entry = Input & { readonly Id: string };

/** The batch's entries, checked as SQS checks them (1-10, ids valid and distinct). */
function batchEntries(input: Input): Entry[] {
  const raw = input.Entries;
  if (raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0)) throw new SqsError('EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.');
  if (!Array.isArray(raw)) throw invalidParameter('Entries', JSON.stringify(raw), 'Must be a list.');
  if (raw.length > 10) throw new SqsError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are 10. You have sent ${raw.length}.`);
  const seen = new Set<string>();
  for (const e of raw as Input[]) {
    const id = e?.Id;
    if (typeof id !== 'string' || !BATCH_ENTRY_ID.test(id)) {
      throw new SqsError('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
    }
    if (seen.has(id)) throw new SqsError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
    seen.add(id);
  }
  return raw as Entry[];
}

async function eachEntry(entries: readonly Entry[], fn: (e: Entry) => Promise<void>): Promise<Output> {
  const out = { Successful: [] as Output[], Failed: [] as Output[] };
  for (const e of entries) {
    try {
      await fn(e);
      out.Successful.push({ Id: e.Id });
    } catch (err) {
      if (!(err instanceof SqsError) || err.code === 'QueueDoesNotExist') throw err;
      out.Failed.push(failure(e.Id, err));
    }
  }
  return out;
}

function failure(id: string, err: SqsError): Output {
  return { Id: id, SenderFault: true, Code: err.code, Message: err.message };
}

function sentOutput(m: { messageId: string; md5OfBody: string; md5OfMessageAttributes: string | undefined; sequenceNumber: string | undefined }): Output {
  const out: Output = { MessageId: m.messageId, MD5OfMessageBody: m.md5OfBody };
  if (m.md5OfMessageAttributes !== undefined) out.MD5OfMessageAttributes = m.md5OfMessageAttributes;
  if (m.sequenceNumber !== undefined) out.SequenceNumber = m.sequenceNumber;
  return out;
}

/** A received message with the system attributes and message attributes asked for. */
function receivedOutput(m: SqsStoredMessage, system: readonly string[], custom: readonly string[]): Output {
  const out: Output = { MessageId: m.messageId, ReceiptHandle: encodeReceiptHandle(m), MD5OfBody: m.md5OfBody, Body: m.body };
  if (system.length > 0) {
    const all = systemAttributes(m);
    const picked = system.includes('All') ? all : Object.fromEntries(Object.entries(all).filter(([k]) => system.includes(k)));
    if (Object.keys(picked).length > 0) out.Attributes = picked;
  }
  const wanted = (name: string): boolean => custom.some((c) => c === 'All' || c === '.*' || c === name || (c.endsWith('.*') && name.startsWith(c.slice(0, -1))));
  const attributes = Object.fromEntries(Object.entries(m.messageAttributes).filter(([k]) => wanted(k)));
  if (Object.keys(attributes).length > 0) {
    out.MD5OfMessageAttributes = md5OfMessageAttributes(attributes);
    out.MessageAttributes = Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, v.binaryValue !== undefined ? { DataType: v.dataType, BinaryValue: v.binaryValue } : { DataType: v.dataType, StringValue: v.stringValue }]));
  }
  return out;
}
