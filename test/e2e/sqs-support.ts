/** What the SQS end-to-end tests share: a client on a Flint, unique queue names, and error assertions. */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { SQSClient, SQSServiceException, type MessageAttributeValue } from '@aws-sdk/client-sqs';

export function sqsClient(endpoint: string): SQSClient {
  return new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}

export const queueName = (prefix = 'q'): string => `${prefix}-${randomBytes(4).toString('hex')}`;

/** Asserts the call fails with SQS error `name` (the SDK's exception class when it has one) and a message matching `message`. */
export async function rejectsWithSqs(call: Promise<unknown>, name: string, message?: RegExp | string, errorClass?: abstract new (...args: never[]) => Error): Promise<void> {
  await assert.rejects(call, (err: unknown) => {
    assert.ok(err instanceof SQSServiceException, `an SQS error, not ${String(err)}`);
    assert.equal(err.name, name);
    if (errorClass !== undefined) assert.ok(err instanceof errorClass, `an instance of ${errorClass.name}`);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message !== undefined) assert.match(err.message, message);
    return true;
  });
}

/**
 * MD5OfMessageAttributes computed here, from SQS's documented algorithm, independently of Flint's
 * code: the attributes sorted by name, each encoded as name, data type, a transport byte (1 for
 * String and Number, 2 for Binary) and value, every variable part prefixed by its length as a
 * 4-byte big-endian integer; the MD5 of the concatenation, in hex.
 */
export function expectedMd5OfMessageAttributes(attributes: Readonly<Record<string, MessageAttributeValue>>): string {
  const lengthPrefixed = (bytes: Uint8Array): Buffer => Buffer.concat([Buffer.of(bytes.length >>> 24, (bytes.length >>> 16) & 0xff, (bytes.length >>> 8) & 0xff, bytes.length & 0xff), bytes]);
  const parts = Object.entries(attributes)
    .sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .flatMap(([name, value]) => {
      const binary = value.DataType!.split('.')[0] === 'Binary';
      return [
        lengthPrefixed(Buffer.from(name)),
        lengthPrefixed(Buffer.from(value.DataType!)),
        Buffer.of(binary ? 2 : 1),
        lengthPrefixed(binary ? value.BinaryValue! : Buffer.from(value.StringValue!)),
      ];
    });
  return createHash('md5').update(Buffer.concat(parts)).digest('hex');
}
