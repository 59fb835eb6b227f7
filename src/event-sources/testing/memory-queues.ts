/**
 * An in-memory stand-in for Flint's queue service behind the queue ports, behaving as SQS does
 * where the pollers depend on it: a received message is hidden for the visibility timeout and
 * comes back when it runs out; each receive counts (ApproximateReceiveCount) and gets a fresh
 * receipt handle; a stale handle deletes nothing; long polls answer as soon as a message is
 * visible; a redrive policy moves a message to its dead-letter queue on the receive that would
 * pass `maxReceiveCount`. For tests (of the pollers, and of Flint in-process until the real
 * service is wired).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { QueueConsumer, QueueInfo, QueueMessageToSend, QueueSender, ReceivedQueueMessage, ReceiveOptions } from '../../queues/index.ts';

interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly messageAttributes: ReceivedQueueMessage['messageAttributes'];
  readonly sentMs: number;
  visibleAtMs: number;
  receiveCount: number;
  firstReceiveMs: number | undefined;
  receiptHandle: string | undefined;
}

interface MemoryQueue {
  readonly info: QueueInfo;
  readonly redrive: { readonly deadLetterArn: string; readonly maxReceiveCount: number } | undefined;
  readonly messages: StoredMessage[];
}

export interface MemoryQueueOptions {
  /** Seconds (fractions allowed here, for tests). Default 30. */
  readonly visibilityTimeoutSeconds?: number;
  readonly redrive?: { readonly deadLetterArn: string; readonly maxReceiveCount: number };
}

const ACCOUNT = '000000000000';

export class MemoryQueues implements QueueConsumer, QueueSender {
  readonly #queues = new Map<string, MemoryQueue>();
  readonly #region: string;
  /** Every receive, for tests to inspect (queue ARN and how many messages it answered with). */
  readonly receives: Array<{ readonly queueArn: string; readonly count: number }> = [];

  constructor(region = 'us-east-1') {
    this.#region = region;
  }

  /** Creates a queue; its ARN. */
  create(name: string, options: MemoryQueueOptions = {}): string {
    const arn = `arn:aws:sqs:${this.#region}:${ACCOUNT}:${name}`;
    this.#queues.set(arn, {
      info: { arn, url: `http://localhost/${ACCOUNT}/${name}`, fifo: name.endsWith('.fifo'), visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 30 },
      redrive: options.redrive,
      messages: [],
    });
    return arn;
  }

  remove(arn: string): void {
    this.#queues.delete(arn);
  }

  async describe(queueArn: string): Promise<QueueInfo | undefined> {
    return this.#queues.get(queueArn)?.info;
  }

  async send(queueArn: string, message: QueueMessageToSend): Promise<{ readonly messageId: string }> {
    const q = this.#queue(queueArn);
    const now = Date.now();
    const stored: StoredMessage = {
      messageId: randomUUID(),
      body: message.body,
      messageAttributes: message.messageAttributes ?? {},
      sentMs: now,
      visibleAtMs: now + (message.delaySeconds ?? 0) * 1000,
      receiveCount: 0,
      firstReceiveMs: undefined,
      receiptHandle: undefined,
    };
    q.messages.push(stored);
    return { messageId: stored.messageId };
  }

  async receive(queueArn: string, options: ReceiveOptions): Promise<ReceivedQueueMessage[]> {
    const deadline = Date.now() + options.waitTimeSeconds * 1000;
    for (;;) {
      const got = this.#receiveNow(queueArn, options);
      if (got.length > 0 || Date.now() >= deadline || options.signal?.aborted === true) {
        this.receives.push({ queueArn, count: got.length });
        return got;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async deleteMessages(queueArn: string, receiptHandles: readonly string[]): Promise<void> {
    const q = this.#queue(queueArn);
    const handles = new Set(receiptHandles);
    for (let i = q.messages.length - 1; i >= 0; i--) {
      const h = q.messages[i]!.receiptHandle;
      if (h !== undefined && handles.has(h)) q.messages.splice(i, 1);
    }
  }

  async changeVisibility(queueArn: string, receiptHandle: string, visibilityTimeoutSeconds: number): Promise<void> {
    const m = this.#queue(queueArn).messages.find((x) => x.receiptHandle === receiptHandle);
    if (m !== undefined && m.visibleAtMs > Date.now()) m.visibleAtMs = Date.now() + visibilityTimeoutSeconds * 1000;
  }

  /** Messages in the queue (visible, delayed or in flight). */
  depth(queueArn: string): number {
    return this.#queue(queueArn).messages.length;
  }

  /** Bodies of the messages in the queue, in send order. */
  bodies(queueArn: string): string[] {
    return this.#queue(queueArn).messages.map((m) => m.body);
  }

  /** Messages in the queue with their attributes, as a consumer would receive them (not counting a receive). */
  peek(queueArn: string): Array<{ readonly body: string; readonly messageAttributes: ReceivedQueueMessage['messageAttributes']; readonly receiveCount: number }> {
    return this.#queue(queueArn).messages.map((m) => ({ body: m.body, messageAttributes: m.messageAttributes, receiveCount: m.receiveCount }));
  }

  #queue(arn: string): MemoryQueue {
    const q = this.#queues.get(arn);
    if (q === undefined) throw Object.assign(new Error(`The specified queue does not exist: ${arn}`), { name: 'QueueDoesNotExist' });
    return q;
  }

  #receiveNow(queueArn: string, options: ReceiveOptions): ReceivedQueueMessage[] {
    const q = this.#queue(queueArn);
    const now = Date.now();
    const out: ReceivedQueueMessage[] = [];
    for (const m of [...q.messages]) {
      if (out.length >= options.maxMessages) break;
      if (m.visibleAtMs > now) continue;
      if (q.redrive !== undefined && m.receiveCount >= q.redrive.maxReceiveCount) {
        q.messages.splice(q.messages.indexOf(m), 1);
        const dlq = this.#queue(q.redrive.deadLetterArn);
        dlq.messages.push({ ...m, visibleAtMs: now, receiveCount: 0, firstReceiveMs: undefined, receiptHandle: undefined });
        continue;
      }
      m.receiveCount += 1;
      m.firstReceiveMs ??= now;
      m.receiptHandle = randomUUID();
      m.visibleAtMs = now + (options.visibilityTimeoutSeconds ?? q.info.visibilityTimeoutSeconds) * 1000;
      out.push({
        messageId: m.messageId,
        receiptHandle: m.receiptHandle,
        body: m.body,
        md5OfBody: createHash('md5').update(m.body).digest('hex'),
        attributes: {
          ApproximateReceiveCount: String(m.receiveCount),
          SentTimestamp: String(m.sentMs),
          SenderId: ACCOUNT,
          ApproximateFirstReceiveTimestamp: String(m.firstReceiveMs),
        },
        messageAttributes: m.messageAttributes,
      });
    }
    return out;
  }
}
