/**
 * What the rest of Flint needs from its SQS-compatible queues, without speaking the SQS wire
 * protocol: the event source mapping pollers consume messages (receive, delete after success,
 * make visible again), and async destinations and dead-letter queues send them. The queue
 * service (this folder) implements both; consumers are given them in main.ts.
 */

/** A queue, as a consumer sees it. */
export interface QueueInfo {
  readonly arn: string;
  readonly url: string;
  readonly fifo: boolean;
  /** The queue's default visibility timeout, seconds. */
  readonly visibilityTimeoutSeconds: number;
}

/** A message attribute, as SQS holds it (String / Number / Binary, with an optional custom type suffix). */
export interface QueueMessageAttribute {
  readonly dataType: string;
  readonly stringValue?: string;
  /** Base64 of the binary value. */
  readonly binaryValue?: string;
}

/** One received message: what SQS's ReceiveMessage answers with every attribute asked for. */
export interface ReceivedQueueMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly md5OfMessageAttributes?: string;
  /**
   * System attributes (all of them): `ApproximateReceiveCount`, `SentTimestamp`, `SenderId`,
   * `ApproximateFirstReceiveTimestamp`, and for FIFO `SequenceNumber`, `MessageGroupId`, `MessageDeduplicationId`.
   */
  readonly attributes: Readonly<Record<string, string>>;
  readonly messageAttributes: Readonly<Record<string, QueueMessageAttribute>>;
}

export interface ReceiveOptions {
  /** 1-10. */
  readonly maxMessages: number;
  /** Seconds; the queue's own when absent. */
  readonly visibilityTimeoutSeconds?: number;
  /** Long polling, 0-20 seconds; answers as soon as a message is there. */
  readonly waitTimeSeconds: number;
  /** Ends a long poll early (answering what was received so far, usually nothing). */
  readonly signal?: AbortSignal;
}

export interface QueueMessageToSend {
  readonly body: string;
  readonly messageAttributes?: Readonly<Record<string, QueueMessageAttribute>>;
  readonly delaySeconds?: number;
  /** FIFO queues. */
  readonly messageGroupId?: string;
  readonly messageDeduplicationId?: string;
}

/**
 * The consumer's side of the queues, by queue ARN. Every method rejects with a
 * `QueueDoesNotExist` error (its `name`) when the queue is gone.
 */
export interface QueueConsumer {
  /** The queue's facts, or undefined when no queue has that ARN. */
  describe(queueArn: string): Promise<QueueInfo | undefined>;
  /** Receives up to `maxMessages`, hiding them for the visibility timeout (counting the receive for the redrive policy). */
  receive(queueArn: string, options: ReceiveOptions): Promise<ReceivedQueueMessage[]>;
  /** Deletes received messages (a stale or unknown receipt handle is ignored, as SQS does). */
  deleteMessages(queueArn: string, receiptHandles: readonly string[]): Promise<void>;
  /** Sets a received message's visibility timeout (0 makes it visible again now). */
  changeVisibility(queueArn: string, receiptHandle: string, visibilityTimeoutSeconds: number): Promise<void>;
}

/** The sender's side: async destinations and dead-letter queues. */
export interface QueueSender {
  /** Sends one message; its message id. */
  send(queueArn: string, message: QueueMessageToSend): Promise<{ readonly messageId: string }>;
}
