/** Receipt handles: opaque to clients, the message's row and the token of the receive that handed it out. */
import type { SqsReceipt } from '../model/index.ts';
import { SqsError } from './sqs-error.ts';

export function encodeReceiptHandle(m: { readonly id: number; readonly receiptToken: string }): string {
  return Buffer.from(`${m.id}:${m.receiptToken}`, 'utf8').toString('base64');
}

export function decodeReceiptHandle(handle: string): SqsReceipt {
  const match = /^(\d{1,15}):([0-9a-f-]{36})$/.exec(Buffer.from(handle, 'base64').toString('utf8'));
  if (match === null || handle.length === 0) throw new SqsError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`);
  return { id: Number(match[1]), token: match[2]! };
}
