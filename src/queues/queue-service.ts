/**
 * The queue service: SQS's semantics over the SqsStore, protocol-neutral (the wire operations in
 * sqs-operations.ts call it; pollers and destinations reach it by ARN as QueueConsumer and
 * QueueSender). Long polls wait on in-process notifications, rechecking every RECHECK_MS.
 */
import type { SqsQueueRecord, SqsStoredMessage } from '../model/index.ts';
import type { Clock, Logger } from '../shared/index.ts';
import type { SqsStore } from '../storage/index.ts';
import type { QueueConsumer, QueueInfo, QueueMessageToSend, QueueSender, ReceivedQueueMessage, ReceiveOptions } from './ports.ts';
import { prepareMessage, type MessageInput } from './message-validation.ts';
import { COMPUTED_ATTRIBUTES, isKnownAttribute, QUEUE_DEFAULTS, redrivePolicyOf, validateQueueAttributes } from './queue-attributes.ts';
import { queueArn, queueNameOfArn, queueUrl, type QueueAccount } from './queue-address.ts';
import { QueueWaiters } from './queue-waiters.ts';
import { decodeReceiptHandle, encodeReceiptHandle } from './receipt-handle.ts';
import { invalidParameter, queueDoesNotExist, SqsError } from './sqs-error.ts';

/** A long poll looks again this often when nothing woke it (delays ending, other front ends' sends). */
export const RECHECK_MS = 1_000;
const DEDUPLICATION_MS = 5 * 60 * 1000;
const PURGE_INTERVAL_MS = 60 * 1000;
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

export interface QueueServiceDeps {
  readonly store: SqsStore;
  readonly account: QueueAccount;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Flint's own endpoint (`http://HOST:PORT`), for queue URLs outside a request. */
  readonly endpoint: () => string;
}

export interface ReceiveRequest {
  readonly maxMessages: number;
  readonly visibilityTimeoutSeconds: number | undefined;
  readonly waitTimeSeconds: number | undefined;
  readonly signal: AbortSignal | undefined;
}

/** One message of a batch: stored, or its own error. */
export type SendResult = { readonly ok: true; readonly message: { messageId: string; md5OfBody: string; md5OfMessageAttributes: string | undefined; sequenceNumber: string | undefined } } | { readonly ok: false; readonly error: SqsError };

export class QueueService implements QueueConsumer, QueueSender {
  readonly #store: SqsStore;
  readonly #account: QueueAccount;
  readonly #clock: Clock;
  readonly #endpoint: () => string;
  readonly #waiters = new QueueWaiters();
  readonly #stopping = new AbortController();

  constructor(deps: QueueServiceDeps) {
    this.#store = deps.store;
    this.#account = deps.account;
    this.#clock = deps.clock;
    this.#endpoint = deps.endpoint;
  }

  get account(): QueueAccount {
    return this.#account;
  }

  /** Ends every long poll (answering what it has) and refuses new waits. */
  stop(): void {
    this.#stopping.abort();
  }

  async createQueue(name: string, attributesIn: Readonly<Record<string, unknown>>, tags: Readonly<Record<string, string>>): Promise<SqsQueueRecord> {
    const fifo = name.endsWith('.fifo');
    const base = fifo ? name.slice(0, -5) : name;
    if (!QUEUE_NAME.test(base)) throw new SqsError('InvalidParameterValue', 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
    const fifoAttribute = attributesIn.FifoQueue;
    const wantsFifo = fifoAttribute !== undefined && String(fifoAttribute).toLowerCase() === 'true';
    if (wantsFifo && !fifo) throw new SqsError('InvalidParameterValue', 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.');
    if (fifo && !wantsFifo) throw new SqsError('InvalidParameterValue', 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.');
    const given = validateQueueAttributes(attributesIn, fifo, true);
    await this.#checkRedrive(given, fifo);
    const defaults = fifo ? { ...QUEUE_DEFAULTS, FifoQueue: 'true', ContentBasedDeduplication: 'false', DeduplicationScope: 'queue', FifoThroughputLimit: 'perQueue' } : QUEUE_DEFAULTS;
    const nowMs = this.#clock.now();
    const { created, queue } = await this.#store.createQueue({ name, fifo, attributes: { ...defaults, ...given }, tags, createdMs: nowMs, lastModifiedMs: nowMs, lastPurgeMs: undefined });
    if (!created) {
      for (const [attribute, value] of Object.entries(given)) {
        if ((queue.attributes[attribute] ?? '') !== value) throw new SqsError('QueueNameExists', `A queue already exists with the same name and a different value for attribute ${attribute}`);
      }
    }
    return queue;
  }

  async queue(name: string): Promise<SqsQueueRecord> {
    const queue = await this.#store.getQueue(name);
    if (queue === undefined) throw queueDoesNotExist();
    return queue;
  }

  listQueues(prefix: string, after: string | undefined, limit: number): Promise<SqsQueueRecord[]> {
    return this.#store.listQueues({ prefix, after, limit });
  }

  async attributes(name: string, wanted: readonly string[]): Promise<Record<string, string>> {
    const queue = await this.queue(name);
    const all = wanted.includes('All');
    for (const n of wanted) if (n !== 'All' && !isKnownAttribute(n, queue.fifo)) throw new SqsError('InvalidAttributeName', `Unknown Attribute ${n}.`);
    const counts = await this.#store.counts(name, this.#clock.now());
    if (counts === undefined) throw queueDoesNotExist();
    const values: Record<string, string> = {
      QueueArn: queueArn(this.#account, name),
      ApproximateNumberOfMessages: String(counts.visible),
      ApproximateNumberOfMessagesNotVisible: String(counts.notVisible),
      ApproximateNumberOfMessagesDelayed: String(counts.delayed),
      CreatedTimestamp: String(Math.floor(queue.createdMs / 1000)),
      LastModifiedTimestamp: String(Math.floor(queue.lastModifiedMs / 1000)),
    };
    for (const [n, v] of Object.entries(queue.attributes)) if (v !== '') values[n] = v;
    const out: Record<string, string> = {};
    for (const n of all ? [...COMPUTED_ATTRIBUTES, ...Object.keys(queue.attributes)] : wanted) if (values[n] !== undefined) out[n] = values[n];
    return out;
  }

  async setAttributes(name: string, attributesIn: Readonly<Record<string, unknown>>): Promise<void> {
    const queue = await this.queue(name);
    const given = validateQueueAttributes(attributesIn, queue.fifo, false);
    await this.#checkRedrive(given, queue.fifo);
    if (!(await this.#store.setAttributes(name, given, this.#clock.now()))) throw queueDoesNotExist();
  }

  async deleteQueue(name: string): Promise<void> {
    if (!(await this.#store.deleteQueue(name))) throw queueDoesNotExist();
    this.#waiters.notify(name);
  }

  async purge(name: string): Promise<void> {
    const outcome = await this.#store.purge(name, this.#clock.now(), PURGE_INTERVAL_MS);
    if (outcome === 'missing') throw queueDoesNotExist();
    if (outcome === 'inProgress') throw new SqsError('PurgeQueueInProgress', `Only one PurgeQueue operation on ${name} is allowed every 60 seconds.`);
  }

  async tags(name: string): Promise<Readonly<Record<string, string>>> {
    return (await this.queue(name)).tags;
  }

  async changeTags(name: string, change: (tags: Record<string, string>) => void): Promise<void> {
    const tags = { ...(await this.queue(name)).tags };
    change(tags);
    if (!(await this.#store.setTags(name, tags))) throw queueDoesNotExist();
  }

  /** Sends a batch (one message is a batch of one): every valid message is stored in one commit. */
  async sendMessages(name: string, inputs: readonly MessageInput[]): Promise<SendResult[]> {
    const queue = await this.queue(name);
    const nowMs = this.#clock.now();
    const prepared = inputs.map((input) => {
      try {
        return prepareMessage(queue, input, this.#account.accountId, nowMs);
      } catch (err) {
        if (err instanceof SqsError) return err;
        throw err;
      }
    });
    const valid = prepared.filter((p): p is Exclude<typeof p, SqsError> => !(p instanceof SqsError));
    const outcomes = valid.length === 0 ? [] : await this.#store.send(name, valid, nowMs, DEDUPLICATION_MS);
    if (outcomes === undefined) throw queueDoesNotExist();
    if (valid.length > 0) this.#waiters.notify(name);
    let next = 0;
    return prepared.map((p): SendResult => {
      if (p instanceof SqsError) return { ok: false, error: p };
      const outcome = outcomes[next++]!;
      return { ok: true, message: { messageId: outcome.messageId, md5OfBody: p.md5OfBody, md5OfMessageAttributes: p.md5OfMessageAttributes, sequenceNumber: outcome.sequenceNumber } };
    });
  }

  /** Receives, waiting up to the wait time (the queue's ReceiveMessageWaitTimeSeconds when not given) for a first message. */
  async receiveMessages(name: string, request: ReceiveRequest): Promise<SqsStoredMessage[]> {
    const queue = await this.queue(name);
    const { maxMessages } = request;
    if (!(maxMessages >= 1 && maxMessages <= 10)) throw invalidParameter('MaxNumberOfMessages', maxMessages, 'Must be between 1 and 10, if provided.');
    const visibility = request.visibilityTimeoutSeconds ?? Number(queue.attributes.VisibilityTimeout ?? 30);
    if (!(visibility >= 0 && visibility <= 43200)) throw invalidParameter('VisibilityTimeout', visibility, 'Must be >= 0 and <= 43200, if provided.');
    const wait = request.waitTimeSeconds ?? Number(queue.attributes.ReceiveMessageWaitTimeSeconds ?? 0);
    if (!(wait >= 0 && wait <= 20)) throw invalidParameter('WaitTimeSeconds', wait, 'Must be >= 0 and <= 20, if provided.');
    const policy = redrivePolicyOf(queue.attributes);
    const deadLetterQueue = policy === undefined ? undefined : queueNameOfArn(policy.deadLetterTargetArn, this.#account);
    const redrive = policy !== undefined && deadLetterQueue !== undefined ? { deadLetterQueue, maxReceiveCount: policy.maxReceiveCount } : undefined;
    const retentionMs = Number(queue.attributes.MessageRetentionPeriod ?? 345600) * 1000;
    const deadline = this.#clock.now() + wait * 1000;
    const signal = request.signal === undefined ? this.#stopping.signal : AbortSignal.any([request.signal, this.#stopping.signal]);
    for (;;) {
      const nowMs = this.#clock.now();
      const messages = await this.#store.receive(name, { nowMs, maxMessages, visibilityMs: visibility * 1000, retainedSinceMs: nowMs - retentionMs, redrive });
      if (messages === undefined) throw queueDoesNotExist();
      const left = deadline - this.#clock.now();
      if (messages.length > 0 || left <= 0 || signal.aborted) return messages;
      await this.#waiters.wait(name, Math.min(left, RECHECK_MS), signal);
    }
  }

  async deleteMessage(name: string, receiptHandle: string): Promise<void> {
    const receipt = decodeReceiptHandle(receiptHandle);
    // a stale handle (the message received again, or gone) is no error, as in SQS
    if ((await this.#store.deleteMessage(name, receipt)) === undefined) throw queueDoesNotExist();
  }

  async changeMessageVisibility(name: string, receiptHandle: string, seconds: number): Promise<void> {
    const receipt = decodeReceiptHandle(receiptHandle);
    if (!(seconds >= 0 && seconds <= 43200)) throw invalidParameter('VisibilityTimeout', seconds, 'VisibilityTimeout must be an integer between 0 and 43200');
    const nowMs = this.#clock.now();
    const outcome = await this.#store.changeVisibility(name, receipt, nowMs + seconds * 1000, nowMs);
    if (outcome === undefined) throw queueDoesNotExist();
    if (outcome === 'notInflight') throw new SqsError('MessageNotInflight', 'The message referred to is not in flight.');
    if (outcome === 'unknown') throw invalidParameter('ReceiptHandle', receiptHandle, 'Message does not exist or is not available for visibility timeout change.');
    if (seconds === 0) this.#waiters.notify(name);
  }

  // --- QueueConsumer / QueueSender (by ARN) ---

  async describe(arn: string): Promise<QueueInfo | undefined> {
    const name = queueNameOfArn(arn, this.#account);
    const queue = name === undefined ? undefined : await this.#store.getQueue(name);
    if (queue === undefined) return undefined;
    return { arn: queueArn(this.#account, queue.name), url: queueUrl(this.#endpoint(), this.#account, queue.name), fifo: queue.fifo, visibilityTimeoutSeconds: Number(queue.attributes.VisibilityTimeout ?? 30) };
  }

  async receive(arn: string, options: ReceiveOptions): Promise<ReceivedQueueMessage[]> {
    const name = this.#nameOfArn(arn);
    const messages = await this.receiveMessages(name, { maxMessages: options.maxMessages, visibilityTimeoutSeconds: options.visibilityTimeoutSeconds, waitTimeSeconds: options.waitTimeSeconds, signal: options.signal });
    return messages.map((m) => ({
      messageId: m.messageId,
      receiptHandle: encodeReceiptHandle(m),
      body: m.body,
      md5OfBody: m.md5OfBody,
      ...(m.md5OfMessageAttributes === undefined ? {} : { md5OfMessageAttributes: m.md5OfMessageAttributes }),
      attributes: systemAttributes(m),
      messageAttributes: m.messageAttributes,
    }));
  }

  async deleteMessages(arn: string, receiptHandles: readonly string[]): Promise<void> {
    const name = this.#nameOfArn(arn);
    for (const handle of receiptHandles) {
      try {
        await this.deleteMessage(name, handle);
      } catch (err) {
        if (!(err instanceof SqsError) || err.code !== 'ReceiptHandleIsInvalid') throw err;
      }
    }
  }

  async changeVisibility(arn: string, receiptHandle: string, seconds: number): Promise<void> {
    await this.changeMessageVisibility(this.#nameOfArn(arn), receiptHandle, seconds);
  }

  async send(arn: string, message: QueueMessageToSend): Promise<{ readonly messageId: string }> {
    const attributes = message.messageAttributes === undefined ? undefined
      : Object.fromEntries(Object.entries(message.messageAttributes).map(([k, v]) => [k, { DataType: v.dataType, StringValue: v.stringValue, BinaryValue: v.binaryValue }]));
    const [result] = await this.sendMessages(this.#nameOfArn(arn), [{
      MessageBody: message.body, MessageAttributes: attributes, DelaySeconds: message.delaySeconds, MessageGroupId: message.messageGroupId, MessageDeduplicationId: message.messageDeduplicationId,
    }]);
    if (!result!.ok) throw result!.error;
    return { messageId: result!.message.messageId };
  }

  #nameOfArn(arn: string): string {
    const name = queueNameOfArn(arn, this.#account);
    if (name === undefined) throw queueDoesNotExist();
    return name;
  }

  async #checkRedrive(attributes: Readonly<Record<string, string>>, fifo: boolean): Promise<void> {
    const policy = redrivePolicyOf(attributes);
    if (policy === undefined) return;
    const name = queueNameOfArn(policy.deadLetterTargetArn, this.#account);
    const target = name === undefined ? undefined : await this.#store.getQueue(name);
    const reject = (reason: string): SqsError => invalidParameter('RedrivePolicy', attributes.RedrivePolicy, reason);
    if (target === undefined) throw reject('Dead letter target does not exist.');
    if (target.fifo !== fifo) throw reject('Dead-letter queue must be same type of queue as the source.');
  }
}

/** Every system attribute of a received message, as SQS names them. */
export function systemAttributes(m: SqsStoredMessage): Record<string, string> {
  const out: Record<string, string> = {
    SenderId: m.senderId,
    SentTimestamp: String(m.sentMs),
    ApproximateReceiveCount: String(m.receiveCount),
    ApproximateFirstReceiveTimestamp: String(m.firstReceiveMs),
  };
  if (m.sequenceNumber !== undefined) out.SequenceNumber = m.sequenceNumber;
  if (m.deduplicationId !== undefined) out.MessageDeduplicationId = m.deduplicationId;
  if (m.groupId !== undefined) out.MessageGroupId = m.groupId;
  return out;
}
