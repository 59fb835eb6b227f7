/** A message to send, checked as SQS checks it: body characters and size, delay, attributes, FIFO parameters. */
import { createHash, randomUUID } from 'node:crypto';
import type { NewSqsMessage, SqsMessageAttributeValue, SqsQueueRecord } from '../model/index.ts';
import { md5OfBody, md5OfMessageAttributes } from './message-md5.ts';
import { invalidParameter, missingParameter, SqsError } from './sqs-error.ts';

/** A message as a request gives it (JSON-protocol member names; values unchecked). */
export interface MessageInput {
  readonly MessageBody?: unknown;
  readonly DelaySeconds?: unknown;
  readonly MessageAttributes?: unknown;
  readonly MessageGroupId?: unknown;
  readonly MessageDeduplicationId?: unknown;
}

const INVALID_BODY_CHARACTER = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ATTRIBUTE_NAME = /^(?!\.)(?!.*\.\.)(?!.*\.$)[A-Za-z0-9_.-]{1,256}$/;
const ATTRIBUTE_TYPE = /^(String|Number|Binary)(\.[^\s]{1,256})?$/;
const FIFO_ID = /^[\x21-\x7E]{1,128}$/;

/** An integer member (JSON number or query-protocol string), or undefined when absent. */
export function integerParameter(name: string, raw: unknown): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isInteger(n)) throw invalidParameter(name, raw, 'Must be an integer.');
  return n;
}

/** Validates and prepares one message for `queue`; `nowMs` is when it is sent. */
export function prepareMessage(queue: SqsQueueRecord, input: MessageInput, senderId: string, nowMs: number): NewSqsMessage {
  const body = input.MessageBody;
  if (typeof body !== 'string' || body === '') throw missingParameter('MessageBody');
  if (INVALID_BODY_CHARACTER.test(body)) {
    throw new SqsError('InvalidMessageContents', 'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF');
  }
  const attributes = messageAttributes(input.MessageAttributes);
  const limit = Number(queue.attributes.MaximumMessageSize ?? 1048576);
  if (messageSize(body, attributes) > limit) throw new SqsError('InvalidParameterValue', `One or more parameters are invalid. Reason: Message must be shorter than ${limit} bytes.`);
  const delay = integerParameter('DelaySeconds', input.DelaySeconds);
  if (delay !== undefined && (delay < 0 || delay > 900)) throw invalidParameter('DelaySeconds', delay, 'DelaySeconds must be >= 0 and <= 900.');
  if (queue.fifo && delay !== undefined && delay !== 0) {
    throw invalidParameter('DelaySeconds', delay, 'The request include parameter that is not valid for this queue type.');
  }
  let groupId: string | undefined;
  let deduplicationId: string | undefined;
  if (queue.fifo) {
    if (input.MessageGroupId === undefined || input.MessageGroupId === null || input.MessageGroupId === '') throw missingParameter('MessageGroupId');
    groupId = fifoId('MessageGroupId', input.MessageGroupId);
    if (input.MessageDeduplicationId !== undefined && input.MessageDeduplicationId !== null) deduplicationId = fifoId('MessageDeduplicationId', input.MessageDeduplicationId);
    else if (queue.attributes.ContentBasedDeduplication === 'true') deduplicationId = createHash('sha256').update(body, 'utf8').digest('hex');
    else throw new SqsError('InvalidParameterValue', 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
  } else if (input.MessageDeduplicationId !== undefined && input.MessageDeduplicationId !== null) {
    throw invalidParameter('MessageDeduplicationId', input.MessageDeduplicationId, 'The request include parameter that is not valid for this queue type');
  }
  const delaySeconds = delay ?? Number(queue.attributes.DelaySeconds ?? 0);
  return {
    messageId: randomUUID(),
    body,
    messageAttributes: attributes,
    md5OfBody: md5OfBody(body),
    md5OfMessageAttributes: md5OfMessageAttributes(attributes),
    senderId,
    visibleAtMs: nowMs + delaySeconds * 1000,
    groupId,
    deduplicationId,
  };
}

/** What a message counts against MaximumMessageSize: body and every attribute's name, type and value. */
export function messageSize(body: string, attributes: Readonly<Record<string, SqsMessageAttributeValue>>): number {
  let size = Buffer.byteLength(body, 'utf8');
  for (const [name, value] of Object.entries(attributes)) {
    size += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value.dataType, 'utf8');
    size += value.binaryValue !== undefined ? Buffer.from(value.binaryValue, 'base64').length : Buffer.byteLength(value.stringValue ?? '', 'utf8');
  }
  return size;
}

function fifoId(name: string, raw: unknown): string {
  if (typeof raw !== 'string' || !FIFO_ID.test(raw)) throw invalidParameter(name, raw, `${name} can only include alphanumeric and punctuation characters. 1 to 128 in length.`);
  return raw;
}

function messageAttributes(raw: unknown): Record<string, SqsMessageAttributeValue> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new SqsError('InvalidParameterValue', 'The request has an invalid MessageAttributes value.');
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > 10) throw new SqsError('InvalidParameterValue', `Number of message attributes [${entries.length}] exceeds the allowed maximum [10].`);
  const out: Record<string, SqsMessageAttributeValue> = {};
  for (const [name, value] of entries) {
    if (!ATTRIBUTE_NAME.test(name) || /^(aws\.|amazon\.)/i.test(name)) {
      throw new SqsError('InvalidParameterValue', `Message (user) attribute '${name}' must contain a non-empty attribute name and only alphanumerics, hyphens, underscores and periods, and must not start with AWS. or Amazon.`);
    }
    const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    const dataType = v.DataType;
    if (typeof dataType !== 'string' || dataType === '') throw new SqsError('InvalidParameterValue', `The message attribute '${name}' must contain non-empty message attribute type.`);
    if (!ATTRIBUTE_TYPE.test(dataType)) {
      throw new SqsError('InvalidParameterValue', `The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`);
    }
    if (dataType.startsWith('Binary')) {
      const binary = v.BinaryValue;
      if (typeof binary !== 'string' || binary === '') throw emptyValue(name, dataType);
      out[name] = { dataType, binaryValue: binary };
    } else {
      const text = v.StringValue;
      if (typeof text !== 'string' || text === '') throw emptyValue(name, dataType);
      if (dataType.startsWith('Number') && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
        throw new SqsError('InvalidParameterValue', `Can't cast the value of message (user) attribute '${name}' to a number.`);
      }
      out[name] = { dataType, stringValue: text };
    }
  }
  return out;
}

const emptyValue = (name: string, dataType: string): SqsError =>
  new SqsError('InvalidParameterValue', `The message (user) attribute '${name}' must contain a non-empty message attribute value for message attribute type '${dataType.split('.')[0]}'.`);
