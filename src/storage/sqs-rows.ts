/**
 * The SQS queue tables' rows and the records they make, alike for both engines (SQLite hands
 * JSON columns back as text, PostgreSQL as parsed values; booleans as 0/1 or true/false).
 */
import type { SqsMessageAttributeValue, SqsQueueRecord, SqsStoredMessage } from '../model/index.ts';

export interface SqsQueueRow {
  name: string;
  fifo: number | boolean;
  attributes: string | Record<string, string>;
  tags: string | Record<string, string>;
  created_ms: number;
  last_modified_ms: number;
  last_purge_ms: number | null;
}

export const SQS_QUEUE_COLUMNS = 'name, fifo, attributes, tags, created_ms, last_modified_ms, last_purge_ms';

export interface SqsMessageRow {
  id: number;
  message_id: string;
  body: string;
  message_attributes: string | Record<string, SqsMessageAttributeValue>;
  md5_of_body: string;
  md5_of_message_attributes: string | null;
  sender_id: string;
  sent_ms: number;
  visible_at_ms: number;
  receive_count: number;
  first_receive_ms: number | null;
  receipt_token: string | null;
  group_id: string | null;
  deduplication_id: string | null;
  sequence_number: string | null;
}

export const SQS_MESSAGE_COLUMNS =
  'id, message_id, body, message_attributes, md5_of_body, md5_of_message_attributes, sender_id, sent_ms, visible_at_ms, receive_count, first_receive_ms, receipt_token, group_id, deduplication_id, sequence_number';

const parsed = <T>(value: string | T): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

export function sqsQueueFromRow(row: SqsQueueRow): SqsQueueRecord {
  return {
    name: row.name,
    fifo: row.fifo === true || row.fifo === 1,
    attributes: parsed(row.attributes),
    tags: parsed(row.tags),
    createdMs: row.created_ms,
    lastModifiedMs: row.last_modified_ms,
    lastPurgeMs: row.last_purge_ms ?? undefined,
  };
}

/** A message row as received (its new token, count and first-receive time already applied). */
export function sqsMessageFromRow(row: SqsMessageRow): SqsStoredMessage {
  return {
    id: row.id,
    messageId: row.message_id,
    body: row.body,
    messageAttributes: parsed(row.message_attributes),
    md5OfBody: row.md5_of_body,
    md5OfMessageAttributes: row.md5_of_message_attributes ?? undefined,
    senderId: row.sender_id,
    visibleAtMs: row.visible_at_ms,
    groupId: row.group_id ?? undefined,
    deduplicationId: row.deduplication_id ?? undefined,
    receiptToken: row.receipt_token ?? '',
    sentMs: row.sent_ms,
    receiveCount: row.receive_count,
    firstReceiveMs: row.first_receive_ms ?? row.sent_ms,
    sequenceNumber: row.sequence_number ?? undefined,
  };
}

/** SQS sequence numbers: 20 decimal digits, increasing per queue. */
export function sqsSequenceNumber(n: number): string {
  return String(n).padStart(20, '0');
}
