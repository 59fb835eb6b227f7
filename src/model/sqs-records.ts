/** The SQS-compatible queues' durable records, as the storage ports hold them. */

/** A queue: its settable attributes as SQS names and spells them (strings), its tags. */
export interface SqsQueueRecord {
  readonly name: string;
  readonly fifo: boolean;
  /** `VisibilityTimeout`, `DelaySeconds`, `RedrivePolicy`, ... as set (defaults filled in at creation). */
  readonly attributes: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  readonly createdMs: number;
  readonly lastModifiedMs: number;
  /** When the queue was last purged (PurgeQueue allows one per 60 s). */
  readonly lastPurgeMs: number | undefined;
}

/** A message attribute (String / Number / Binary with an optional custom suffix); binary values in base64. */
export interface SqsMessageAttributeValue {
  readonly dataType: string;
  readonly stringValue?: string;
  readonly binaryValue?: string;
}

/** A message to store (everything SQS answers about it later is fixed at send time). */
export interface NewSqsMessage {
  readonly messageId: string;
  readonly body: string;
  readonly messageAttributes: Readonly<Record<string, SqsMessageAttributeValue>>;
  readonly md5OfBody: string;
  readonly md5OfMessageAttributes: string | undefined;
  readonly senderId: string;
  /** Not receivable before this (the delay). */
  readonly visibleAtMs: number;
  /** FIFO queues. */
  readonly groupId: string | undefined;
  readonly deduplicationId: string | undefined;
}

/** What a send stored (or, for a FIFO duplicate within the deduplication window, what it had stored before). */
export interface SqsSendOutcome {
  readonly messageId: string;
  /** FIFO queues: the message's sequence number (20 digits). */
  readonly sequenceNumber: string | undefined;
}

/** A message as a receive hands it out. */
export interface SqsStoredMessage extends NewSqsMessage {
  /** The row (with `receiptToken`, the receipt handle). */
  readonly id: number;
  readonly receiptToken: string;
  readonly sentMs: number;
  readonly receiveCount: number;
  readonly firstReceiveMs: number;
  readonly sequenceNumber: string | undefined;
}

export interface SqsReceiveRequest {
  readonly nowMs: number;
  readonly maxMessages: number;
  readonly visibilityMs: number;
  /** Messages sent before this are past the retention period: dropped. */
  readonly retainedSinceMs: number;
  /** A message already received `maxReceiveCount` times moves to this queue instead of being received. */
  readonly redrive: { readonly deadLetterQueue: string; readonly maxReceiveCount: number } | undefined;
}

export interface SqsQueueCounts {
  /** Receivable now. */
  readonly visible: number;
  /** Received and still hidden. */
  readonly notVisible: number;
  /** Not yet receivable (a delay). */
  readonly delayed: number;
}

/** A received message's handle, as the store knows it. */
export interface SqsReceipt {
  readonly id: number;
  readonly token: string;
}

export type SqsVisibilityChange = 'changed' | 'notInflight' | 'unknown';
export type SqsPurge = 'purged' | 'inProgress' | 'missing';
