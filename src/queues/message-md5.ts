/**
 * The digests SQS answers with: MD5 of the body's UTF-8 bytes, and MD5 of the message attributes
 * as SQS computes it (sorted by name; each as length-prefixed name, length-prefixed data type, a
 * transport byte, 1 for String/Number and 2 for Binary, and the length-prefixed value bytes).
 */
import { createHash } from 'node:crypto';
import type { SqsMessageAttributeValue } from '../model/index.ts';

export function md5OfBody(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

/** Undefined for no attributes (SQS leaves the digest out). */
export function md5OfMessageAttributes(attributes: Readonly<Record<string, SqsMessageAttributeValue>>): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  const field = (bytes: Buffer): void => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length).update(bytes);
  };
  for (const name of names) {
    const value = attributes[name]!;
    field(Buffer.from(name, 'utf8'));
    field(Buffer.from(value.dataType, 'utf8'));
    if (value.binaryValue !== undefined && value.dataType.startsWith('Binary')) {
      hash.update(Buffer.from([2]));
      field(Buffer.from(value.binaryValue, 'base64'));
    } else {
      hash.update(Buffer.from([1]));
      field(Buffer.from(value.stringValue ?? '', 'utf8'));
    }
  }
  return hash.digest('hex');
}
