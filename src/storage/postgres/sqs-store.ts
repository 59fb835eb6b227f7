/**
 * The SQS-compatible queues over PostgreSQL. Receives of a standard queue lock their rows with
 * `FOR UPDATE SKIP LOCKED` (front ends receiving at once never get one message twice); a FIFO
 * queue's receives and sends take its row lock first, so message groups stay in order and
 * sequence numbers and deduplication are decided one send at a time.
 */
import { randomUUID } from 'node:crypto';
import type { NewSqsMessage, SqsPurge, SqsQueueCounts, SqsQueueRecord, SqsReceipt, SqsReceiveRequest, SqsSendOutcome, SqsStoredMessage, SqsVisibilityChange } from '../../model/index.ts';
import type { SqsStore } from '../ports.ts';
import { SQS_MESSAGE_COLUMNS, SQS_QUEUE_COLUMNS, sqsMessageFromRow, sqsQueueFromRow, sqsSequenceNumber, type SqsMessageRow, type SqsQueueRow } from '../sqs-rows.ts';
import { one, type Sql } from './sql.ts';

const STANDARD_READY = `SELECT ${SQS_MESSAGE_COLUMNS} FROM sqs_messages WHERE queue_name = $1 AND visible_at_ms <= $2 ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED`;
const FIFO_READY = `
  SELECT ${SQS_MESSAGE_COLUMNS} FROM sqs_messages m WHERE m.queue_name = $1 AND m.visible_at_ms <= $2
    AND NOT EXISTS (SELECT 1 FROM sqs_messages b WHERE b.queue_name = m.queue_name AND b.group_id = m.group_id AND b.id <> m.id
      AND b.visible_at_ms > $2 AND (b.receipt_token IS NOT NULL OR b.id < m.id))
  ORDER BY m.id LIMIT $3 FOR UPDATE`;
const MOVE = `
  INSERT INTO sqs_messages (queue_name, message_id, body, message_attributes, md5_of_body, md5_of_message_attributes, sender_id, sent_ms, visible_at_ms, group_id, deduplication_id, sequence_number)
  SELECT $1, message_id, body, message_attributes, md5_of_body, md5_of_message_attributes, sender_id, sent_ms, $2, group_id, deduplication_id, sequence_number FROM sqs_messages WHERE id = $3`;
const INSERT = `
  INSERT INTO sqs_messages (queue_name, message_id, body, message_attributes, md5_of_body, md5_of_message_attributes, sender_id, sent_ms, visible_at_ms, group_id, deduplication_id, sequence_number)
  VALUES ($1, $2, $3, $4::json, $5, $6, $7, $8, $9, $10, $11, $12)`;

export class PostgresSqsStore implements SqsStore {
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  async createQueue(queue: SqsQueueRecord): Promise<{ created: boolean; queue: SqsQueueRecord }> {
    const inserted = await this.#sql.count(
      'INSERT INTO sqs_queues (name, fifo, attributes, tags, created_ms, last_modified_ms) VALUES ($1, $2, $3::json, $4::json, $5, $6) ON CONFLICT (name) DO NOTHING',
      [queue.name, queue.fifo, JSON.stringify(queue.attributes), JSON.stringify(queue.tags), queue.createdMs, queue.lastModifiedMs],
    );
    if (inserted > 0) return { created: true, queue };
    const existing = await this.getQueue(queue.name);
    // deleted again in between: try once more
    return existing === undefined ? this.createQueue(queue) : { created: false, queue: existing };
  }

  async getQueue(name: string, sql: Sql = this.#sql, lock = ''): Promise<SqsQueueRecord | undefined> {
    const [row] = await sql.rows<SqsQueueRow>(`SELECT ${SQS_QUEUE_COLUMNS} FROM sqs_queues WHERE name = $1 ${lock}`, [name]);
    return row === undefined ? undefined : sqsQueueFromRow(row);
  }

  async listQueues(options: { prefix: string; after?: string | undefined; limit: number }): Promise<SqsQueueRecord[]> {
    const rows = await this.#sql.rows<SqsQueueRow>(
      `SELECT ${SQS_QUEUE_COLUMNS} FROM sqs_queues WHERE left(name, $1) = $2 AND name > $3 ORDER BY name LIMIT $4`,
      [options.prefix.length, options.prefix, options.after ?? '', options.limit],
    );
    return rows.map(sqsQueueFromRow);
  }

  setAttributes(name: string, attributes: Readonly<Record<string, string>>, nowMs: number): Promise<boolean> {
    return this.#sql.atomically(async (sql) => {
      const queue = await this.getQueue(name, sql, 'FOR UPDATE');
      if (queue === undefined) return false;
      await sql.count('UPDATE sqs_queues SET attributes = $1::json, last_modified_ms = $2 WHERE name = $3', [JSON.stringify({ ...queue.attributes, ...attributes }), nowMs, name]);
      return true;
    });
  }

  async setTags(name: string, tags: Readonly<Record<string, string>>): Promise<boolean> {
    return (await this.#sql.count('UPDATE sqs_queues SET tags = $1::json WHERE name = $2', [JSON.stringify(tags), name])) > 0;
  }

  async deleteQueue(name: string): Promise<boolean> {
    // messages and deduplication rows cascade
    return (await this.#sql.count('DELETE FROM sqs_queues WHERE name = $1', [name])) > 0;
  }

  purge(name: string, nowMs: number, minIntervalMs: number): Promise<SqsPurge> {
    return this.#sql.atomically(async (sql) => {
      const queue = await this.getQueue(name, sql, 'FOR UPDATE');
      if (queue === undefined) return 'missing';
      if (queue.lastPurgeMs !== undefined && nowMs - queue.lastPurgeMs < minIntervalMs) return 'inProgress';
      await sql.count('DELETE FROM sqs_messages WHERE queue_name = $1', [name]);
      await sql.count('UPDATE sqs_queues SET last_purge_ms = $1 WHERE name = $2', [nowMs, name]);
      return 'purged';
    });
  }

  send(name: string, messages: readonly NewSqsMessage[], nowMs: number, deduplicationMs: number): Promise<SqsSendOutcome[] | undefined> {
    return this.#sql.atomically(async (sql) => {
      // standard queues need no lock (the foreign key keeps the queue while the messages go in)
      const queue = await this.getQueue(name, sql);
      if (queue === undefined) return undefined;
      const out: SqsSendOutcome[] = [];
      if (!queue.fifo) {
        for (const m of messages) {
          await insert(sql, name, m, nowMs, undefined);
          out.push({ messageId: m.messageId, sequenceNumber: undefined });
        }
        return out;
      }
      await sql.rows('SELECT 1 FROM sqs_queues WHERE name = $1 FOR UPDATE', [name]);
      await sql.count('DELETE FROM sqs_deduplication WHERE queue_name = $1 AND expires_ms <= $2', [name, nowMs]);
      for (const m of messages) {
        const dedup = m.deduplicationId ?? '';
        const [seen] = await sql.rows<{ message_id: string; sequence_number: string | null }>(
          'SELECT message_id, sequence_number FROM sqs_deduplication WHERE queue_name = $1 AND deduplication_id = $2', [name, dedup]);
        if (seen !== undefined) {
          out.push({ messageId: seen.message_id, sequenceNumber: seen.sequence_number ?? undefined });
          continue;
        }
        const { n } = await one<{ n: number }>(sql, 'UPDATE sqs_queues SET last_sequence = last_sequence + 1 WHERE name = $1 RETURNING last_sequence AS n', [name]);
        const sequenceNumber = sqsSequenceNumber(n);
        await insert(sql, name, m, nowMs, sequenceNumber);
        await sql.count('INSERT INTO sqs_deduplication (queue_name, deduplication_id, message_id, sequence_number, expires_ms) VALUES ($1, $2, $3, $4, $5)',
          [name, dedup, m.messageId, sequenceNumber, nowMs + deduplicationMs]);
        out.push({ messageId: m.messageId, sequenceNumber });
      }
      return out;
    });
  }

  receive(name: string, r: SqsReceiveRequest): Promise<SqsStoredMessage[] | undefined> {
    return this.#sql.atomically(async (sql) => {
      const queue = await this.getQueue(name, sql);
      if (queue === undefined) return undefined;
      if (queue.fifo) await sql.rows('SELECT 1 FROM sqs_queues WHERE name = $1 FOR UPDATE', [name]);
      await sql.count('DELETE FROM sqs_messages WHERE id IN (SELECT id FROM sqs_messages WHERE queue_name = $1 AND sent_ms < $2 FOR UPDATE SKIP LOCKED)', [name, r.retainedSinceMs]);
      const deadLetterQueue = r.redrive !== undefined && (await this.getQueue(r.redrive.deadLetterQueue, sql)) !== undefined ? r.redrive : undefined;
      const out: SqsStoredMessage[] = [];
      for (;;) {
        const wanted = r.maxMessages - out.length;
        const rows = await sql.rows<SqsMessageRow>(queue.fifo ? FIFO_READY : STANDARD_READY, [name, r.nowMs, wanted]);
        let moved = false;
        for (const row of rows) {
          if (deadLetterQueue !== undefined && row.receive_count >= deadLetterQueue.maxReceiveCount) {
            await sql.count(MOVE, [deadLetterQueue.deadLetterQueue, r.nowMs, row.id]);
            await sql.count('DELETE FROM sqs_messages WHERE id = $1', [row.id]);
            moved = true;
            continue;
          }
          const updated = await one<SqsMessageRow>(
            sql,
            `UPDATE sqs_messages SET receipt_token = $1, visible_at_ms = $2, receive_count = receive_count + 1, first_receive_ms = COALESCE(first_receive_ms, $3)
             WHERE id = $4 RETURNING ${SQS_MESSAGE_COLUMNS}`,
            [randomUUID(), r.nowMs + r.visibilityMs, r.nowMs, row.id],
          );
          out.push(sqsMessageFromRow(updated));
        }
        if (!moved || out.length >= r.maxMessages || rows.length === 0) return out;
      }
    });
  }

  async deleteMessage(name: string, receipt: SqsReceipt): Promise<boolean | undefined> {
    const deleted = await this.#sql.count('DELETE FROM sqs_messages WHERE id = $1 AND queue_name = $2 AND receipt_token = $3', [receipt.id, name, receipt.token]);
    if (deleted > 0) return true;
    return (await this.getQueue(name)) === undefined ? undefined : false;
  }

  async changeVisibility(name: string, receipt: SqsReceipt, visibleAtMs: number, nowMs: number): Promise<SqsVisibilityChange | undefined> {
    const [row] = await this.#sql.rows<{ changed: boolean }>(
      `WITH target AS (SELECT id, visible_at_ms > $4 AS in_flight FROM sqs_messages WHERE id = $1 AND queue_name = $2 AND receipt_token = $3 FOR UPDATE),
         changed AS (UPDATE sqs_messages SET visible_at_ms = $5 WHERE id IN (SELECT id FROM target WHERE in_flight) RETURNING id)
       SELECT EXISTS (SELECT 1 FROM changed) AS changed FROM target`,
      [receipt.id, name, receipt.token, nowMs, visibleAtMs],
    );
    if (row !== undefined) return row.changed ? 'changed' : 'notInflight';
    return (await this.getQueue(name)) === undefined ? undefined : 'unknown';
  }

  counts(name: string, nowMs: number): Promise<SqsQueueCounts | undefined> {
    return this.#sql.consistently(async (sql) => {
      if ((await this.getQueue(name, sql)) === undefined) return undefined;
      const row = await one<{ visible: number; not_visible: number; delayed: number }>(
        sql,
        `SELECT COUNT(*) FILTER (WHERE visible_at_ms <= $1) AS visible, COUNT(*) FILTER (WHERE visible_at_ms > $1 AND receipt_token IS NOT NULL) AS not_visible,
           COUNT(*) FILTER (WHERE visible_at_ms > $1 AND receipt_token IS NULL) AS delayed FROM sqs_messages WHERE queue_name = $2`,
        [nowMs, name],
      );
      return { visible: row.visible, notVisible: row.not_visible, delayed: row.delayed };
    });
  }
}

async function insert(sql: Sql, name: string, m: NewSqsMessage, nowMs: number, sequenceNumber: string | undefined): Promise<void> {
  await sql.count(INSERT, [
    name, m.messageId, m.body, JSON.stringify(m.messageAttributes), m.md5OfBody, m.md5OfMessageAttributes ?? null, m.senderId, nowMs, m.visibleAtMs,
    m.groupId ?? null, m.deduplicationId ?? null, sequenceNumber ?? null,
  ]);
}
