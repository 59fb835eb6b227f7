import { randomUUID } from 'node:crypto';
import type { NewSqsMessage, SqsPurge, SqsQueueCounts, SqsQueueRecord, SqsReceipt, SqsReceiveRequest, SqsSendOutcome, SqsStoredMessage, SqsVisibilityChange } from '../../model/index.ts';
import type { SqsStore } from '../ports.ts';
import { SQS_MESSAGE_COLUMNS, SQS_QUEUE_COLUMNS, sqsMessageFromRow, sqsQueueFromRow, sqsSequenceNumber, type SqsMessageRow, type SqsQueueRow } from '../sqs-rows.ts';
import type { Database } from './database.ts';
import { Queries } from './queries.ts';
import type { Synchronous } from './synchronous-port.ts';

/** Receivable messages, oldest first. */
const STANDARD_READY = `SELECT ${SQS_MESSAGE_COLUMNS} FROM sqs_messages WHERE queue_name = ? AND visible_at_ms <= ? ORDER BY id LIMIT ?`;
/** FIFO: receivable messages of groups with none in flight and no earlier message still hidden. */
const FIFO_READY = `
  SELECT ${SQS_MESSAGE_COLUMNS} FROM sqs_messages m WHERE m.queue_name = ? AND m.visible_at_ms <= ?
    AND NOT EXISTS (SELECT 1 FROM sqs_messages b WHERE b.queue_name = m.queue_name AND b.group_id = m.group_id AND b.id <> m.id
      AND b.visible_at_ms > ? AND (b.receipt_token IS NOT NULL OR b.id < m.id))
  ORDER BY m.id LIMIT ?`;
const MOVE = `
  INSERT INTO sqs_messages (queue_name, message_id, body, message_attributes, md5_of_body, md5_of_message_attributes, sender_id, sent_ms, visible_at_ms, group_id, deduplication_id, sequence_number)
  SELECT ?, message_id, body, message_attributes, md5_of_body, md5_of_message_attributes, sender_id, sent_ms, ?, group_id, deduplication_id, sequence_number FROM sqs_messages WHERE id = ?`;

/** SqsStore over SQLite; every method one transaction (or a savepoint in the caller's). */
export class SqliteSqsStore implements Synchronous<SqsStore> {
  readonly #q: Queries;

  constructor(db: Database) {
    this.#q = new Queries(db);
  }

  createQueue(queue: SqsQueueRecord): { created: boolean; queue: SqsQueueRecord } {
    return this.#q.atomically(() => {
      const existing = this.getQueue(queue.name);
      if (existing !== undefined) return { created: false, queue: existing };
      this.#q.run(
        'INSERT INTO sqs_queues (name, fifo, attributes, tags, created_ms, last_modified_ms) VALUES (?, ?, ?, ?, ?, ?)',
        queue.name, queue.fifo ? 1 : 0, JSON.stringify(queue.attributes), JSON.stringify(queue.tags), queue.createdMs, queue.lastModifiedMs,
      );
      return { created: true, queue };
    });
  }

  getQueue(name: string): SqsQueueRecord | undefined {
    const row = this.#q.get<SqsQueueRow>(`SELECT ${SQS_QUEUE_COLUMNS} FROM sqs_queues WHERE name = ?`, name);
    return row === undefined ? undefined : sqsQueueFromRow(row);
  }

  listQueues(options: { prefix: string; after?: string | undefined; limit: number }): SqsQueueRecord[] {
    return this.#q
      .all<SqsQueueRow>(`SELECT ${SQS_QUEUE_COLUMNS} FROM sqs_queues WHERE substr(name, 1, ?) = ? AND name > ? ORDER BY name LIMIT ?`, options.prefix.length, options.prefix, options.after ?? '', options.limit)
      .map(sqsQueueFromRow);
  }

  setAttributes(name: string, attributes: Readonly<Record<string, string>>, nowMs: number): boolean {
    return this.#q.atomically(() => {
      const queue = this.getQueue(name);
      if (queue === undefined) return false;
      return this.#q.run('UPDATE sqs_queues SET attributes = ?, last_modified_ms = ? WHERE name = ?', JSON.stringify({ ...queue.attributes, ...attributes }), nowMs, name);
    });
  }

  setTags(name: string, tags: Readonly<Record<string, string>>): boolean {
    return this.#q.run('UPDATE sqs_queues SET tags = ? WHERE name = ?', JSON.stringify(tags), name);
  }

  deleteQueue(name: string): boolean {
    return this.#q.atomically(() => {
      this.#q.run('DELETE FROM sqs_messages WHERE queue_name = ?', name);
      this.#q.run('DELETE FROM sqs_deduplication WHERE queue_name = ?', name);
      return this.#q.run('DELETE FROM sqs_queues WHERE name = ?', name);
    });
  }

  purge(name: string, nowMs: number, minIntervalMs: number): SqsPurge {
    return this.#q.atomically(() => {
      const queue = this.getQueue(name);
      if (queue === undefined) return 'missing';
      if (queue.lastPurgeMs !== undefined && nowMs - queue.lastPurgeMs < minIntervalMs) return 'inProgress';
      this.#q.run('DELETE FROM sqs_messages WHERE queue_name = ?', name);
      this.#q.run('UPDATE sqs_queues SET last_purge_ms = ? WHERE name = ?', nowMs, name);
      return 'purged';
    });
  }

  send(name: string, messages: readonly NewSqsMessage[], nowMs: number, deduplicationMs: number): SqsSendOutcome[] | undefined {
    return this.#q.atomically(() => {
      const queue = this.getQueue(name);
      if (queue === undefined) return undefined;
      if (queue.fifo) this.#q.run('DELETE FROM sqs_deduplication WHERE queue_name = ? AND expires_ms <= ?', name, nowMs);
      return messages.map((m) => {
        if (!queue.fifo) {
          this.#insert(name, m, nowMs, undefined);
          return { messageId: m.messageId, sequenceNumber: undefined };
        }
        const dedup = m.deduplicationId ?? '';
        const seen = this.#q.get<{ message_id: string; sequence_number: string | null }>('SELECT message_id, sequence_number FROM sqs_deduplication WHERE queue_name = ? AND deduplication_id = ?', name, dedup);
        if (seen !== undefined) return { messageId: seen.message_id, sequenceNumber: seen.sequence_number ?? undefined };
        const { n } = this.#q.get<{ n: number }>('UPDATE sqs_queues SET last_sequence = last_sequence + 1 WHERE name = ? RETURNING last_sequence AS n', name)!;
        const sequenceNumber = sqsSequenceNumber(n);
        this.#insert(name, m, nowMs, sequenceNumber);
        this.#q.run('INSERT INTO sqs_deduplication (queue_name, deduplication_id, message_id, sequence_number, expires_ms) VALUES (?, ?, ?, ?, ?)', name, dedup, m.messageId, sequenceNumber, nowMs + deduplicationMs);
        return { messageId: m.messageId, sequenceNumber };
      });
    });
  }

  receive(name: string, r: SqsReceiveRequest): SqsStoredMessage[] | undefined {
    return this.#q.atomically(() => {
      const queue = this.getQueue(name);
      if (queue === undefined) return undefined;
      this.#q.run('DELETE FROM sqs_messages WHERE queue_name = ? AND sent_ms < ?', name, r.retainedSinceMs);
      const deadLetterQueue = r.redrive !== undefined && this.getQueue(r.redrive.deadLetterQueue) !== undefined ? r.redrive : undefined;
      const out: SqsStoredMessage[] = [];
      for (;;) {
        const wanted = r.maxMessages - out.length;
        const rows = queue.fifo ? this.#q.all<SqsMessageRow>(FIFO_READY, name, r.nowMs, r.nowMs, wanted) : this.#q.all<SqsMessageRow>(STANDARD_READY, name, r.nowMs, wanted);
        let moved = false;
        for (const row of rows) {
          if (deadLetterQueue !== undefined && row.receive_count >= deadLetterQueue.maxReceiveCount) {
            this.#q.run(MOVE, deadLetterQueue.deadLetterQueue, r.nowMs, row.id);
            this.#q.run('DELETE FROM sqs_messages WHERE id = ?', row.id);
            moved = true;
            continue;
          }
          const token = randomUUID();
          const updated = this.#q.get<SqsMessageRow>(
            `UPDATE sqs_messages SET receipt_token = ?, visible_at_ms = ?, receive_count = receive_count + 1, first_receive_ms = COALESCE(first_receive_ms, ?) WHERE id = ? RETURNING ${SQS_MESSAGE_COLUMNS}`,
            token, r.nowMs + r.visibilityMs, r.nowMs, row.id,
          )!;
          out.push(sqsMessageFromRow(updated));
        }
        if (!moved || out.length >= r.maxMessages || rows.length === 0) return out;
      }
    });
  }

  deleteMessage(name: string, receipt: SqsReceipt): boolean | undefined {
    return this.#q.atomically(() => {
      if (this.getQueue(name) === undefined) return undefined;
      return this.#q.run('DELETE FROM sqs_messages WHERE id = ? AND queue_name = ? AND receipt_token = ?', receipt.id, name, receipt.token);
    });
  }

  changeVisibility(name: string, receipt: SqsReceipt, visibleAtMs: number, nowMs: number): SqsVisibilityChange | undefined {
    return this.#q.atomically(() => {
      if (this.getQueue(name) === undefined) return undefined;
      const row = this.#q.get<{ visible_at_ms: number }>('SELECT visible_at_ms FROM sqs_messages WHERE id = ? AND queue_name = ? AND receipt_token = ?', receipt.id, name, receipt.token);
      if (row === undefined) return 'unknown';
      if (row.visible_at_ms <= nowMs) return 'notInflight';
      this.#q.run('UPDATE sqs_messages SET visible_at_ms = ? WHERE id = ?', visibleAtMs, receipt.id);
      return 'changed';
    });
  }

  counts(name: string, nowMs: number): SqsQueueCounts | undefined {
    if (this.getQueue(name) === undefined) return undefined;
    const row = this.#q.get<{ visible: number | null; not_visible: number | null; delayed: number | null }>(
      `SELECT SUM(visible_at_ms <= ?) AS visible, SUM(visible_at_ms > ? AND receipt_token IS NOT NULL) AS not_visible,
         SUM(visible_at_ms > ? AND receipt_token IS NULL) AS delayed FROM sqs_messages WHERE queue_name = ?`,
      nowMs, nowMs, nowMs, name,
    )!;
    return { visible: row.visible ?? 0, notVisible: row.not_visible ?? 0, delayed: row.delayed ?? 0 };
  }

  #insert(name: string, m: NewSqsMessage, nowMs: number, sequenceNumber: string | undefined): void {
    this.#q.run(
      `INSERT INTO sqs_messages (queue_name, message_id, body, message_attributes, md5_of_body, md5_of_message_attributes, sender_id, sent_ms, visible_at_ms, group_id, deduplication_id, sequence_number)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      name, m.messageId, m.body, JSON.stringify(m.messageAttributes), m.md5OfBody, m.md5OfMessageAttributes ?? null, m.senderId, nowMs, m.visibleAtMs, m.groupId ?? null, m.deduplicationId ?? null, sequenceNumber ?? null,
    );
  }
}
