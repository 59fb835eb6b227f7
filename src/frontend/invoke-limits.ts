/** Payload limits and checks of an invoke, per entry point and invocation type. */
import { InvalidClientContext, InvalidPayload, PayloadTooLarge, type InvocationType, type InvokeEntry } from '../model/index.ts';
import { ApiError } from '../shared/index.ts';

export const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** Current AWS documents 1 MB for asynchronous invocations. */
export const MAX_ASYNC_PAYLOAD_BYTES = 1024 * 1024;
/** The deprecated InvokeAsync operation keeps its own 256 KB limit. */
export const MAX_INVOKE_ASYNC_PAYLOAD_BYTES = 256 * 1024;
/** Largest X-Amz-Client-Context (base64) AWS accepts. */
export const MAX_CLIENT_CONTEXT_BYTES = 3583;

/** The largest event an entry point accepts for an invocation type; undefined: checked already (async deliveries). */
export function payloadLimitBytes(entry: InvokeEntry, type: InvocationType): number | undefined {
  if (entry === 'AsyncDelivery') return undefined;
  if (entry === 'InvokeAsync') return MAX_INVOKE_ASYNC_PAYLOAD_BYTES;
  return type === 'Event' ? MAX_ASYNC_PAYLOAD_BYTES : MAX_SYNC_PAYLOAD_BYTES;
}

/** Throws PayloadTooLarge past the entry point's limit. */
export function checkPayloadSize(entry: InvokeEntry, type: InvocationType, size: number): void {
  const limit = payloadLimitBytes(entry, type);
  if (limit !== undefined && size > limit) throw new PayloadTooLarge(size, limit, type);
}

/** The event must be JSON (else InvalidPayload); an empty body reaches the function as `{}`. */
export function normalisePayload(body: Buffer): Buffer {
  if (body.length === 0) return Buffer.from('{}');
  try {
    JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new InvalidPayload((err as Error).message);
  }
  return body;
}

/** Decodes ClientContext (base64 JSON) to the JSON text the runtime receives; throws InvalidClientContext. */
export function decodeClientContext(header: string | undefined): string | undefined {
  if (header === undefined || header === '') return undefined;
  if (header.length > MAX_CLIENT_CONTEXT_BYTES) throw new InvalidClientContext('too-long');
  const text = Buffer.from(header, 'base64').toString('utf8');
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
  } catch {
    throw new InvalidClientContext('not-a-json-object');
  }
  return text;
}

/** Reads X-Amz-Invocation-Type (an edge check: the API's ValidationException as it is). */
export function parseInvocationType(header: string | undefined): InvocationType {
  if (header === undefined || header === '' || header === 'RequestResponse') return 'RequestResponse';
  if (header === 'Event' || header === 'DryRun') return header;
  throw new ApiError(
    'ValidationException',
    `1 validation error detected: Value '${header}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [RequestResponse, Event, DryRun]`,
  );
}
