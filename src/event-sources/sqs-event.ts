/**
 * Lambda's SQS event, built from received messages: `{ Records: [...] }`, each record
 *
 *   { messageId, receiptHandle, body, attributes, messageAttributes, md5OfBody,
 *     [md5OfMessageAttributes], eventSource: "aws:sqs", eventSourceARN, awsRegion }
 *
 * with message attributes as Lambda renders them (`stringValue` / `binaryValue`,
 * `stringListValues: []`, `binaryListValues: []`, `dataType`).
 */
import type { ReceivedQueueMessage } from './ports.ts';

export type SqsRecord = Record<string, unknown> & { readonly messageId: string; readonly receiptHandle: string; readonly body: string };

/** The attributes Lambda passes (the system attributes SQS returned, as strings). */
export function sqsRecord(message: ReceivedQueueMessage, queueArn: string): SqsRecord {
  const messageAttributes: Record<string, unknown> = {};
  for (const [name, a] of Object.entries(message.messageAttributes)) {
    messageAttributes[name] = {
      ...(a.stringValue === undefined ? {} : { stringValue: a.stringValue }),
      ...(a.binaryValue === undefined ? {} : { binaryValue: a.binaryValue }),
      stringListValues: [],
      binaryListValues: [],
      dataType: a.dataType,
    };
  }
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    body: message.body,
    attributes: { ...message.attributes },
    messageAttributes,
    md5OfBody: message.md5OfBody,
    ...(message.md5OfMessageAttributes === undefined ? {} : { md5OfMessageAttributes: message.md5OfMessageAttributes }),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: queueArn.split(':')[3] ?? '',
  };
}

/** The invoke payload of a batch. */
export function sqsEvent(records: readonly SqsRecord[]): Buffer {
  return Buffer.from(JSON.stringify({ Records: records }));
}
