/** Payload limits of Invoke, with AWS's texts. */
import { ApiError } from '../shared/index.ts';

export const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** Current AWS documents 1 MB for asynchronous invocations. */
export const MAX_ASYNC_PAYLOAD_BYTES = 1024 * 1024;
/** Largest X-Amz-Client-Context (base64) AWS accepts. */
export const MAX_CLIENT_CONTEXT_BYTES = 3583;

export type InvocationType = 'RequestResponse' | 'Event' | 'DryRun';

export function checkPayloadSize(type: InvocationType, size: number): void {
  if (type === 'Event' && size > MAX_ASYNC_PAYLOAD_BYTES) {
    throw new ApiError('RequestEntityTooLargeException', `${size} byte payload is too large for the Event invocation type (limit ${MAX_ASYNC_PAYLOAD_BYTES} bytes)`);
  }
  if (size > MAX_SYNC_PAYLOAD_BYTES) {
    throw new ApiError('RequestEntityTooLargeException', `Request must be smaller than ${MAX_SYNC_PAYLOAD_BYTES} bytes for the InvokeFunction operation`);
  }
}

/** The event must be JSON; an empty body reaches the function as `{}`. */
export function normalisePayload(body: Buffer): Buffer {
  if (body.length === 0) return Buffer.from('{}');
  try {
    JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new ApiError('InvalidRequestContentException', `Could not parse request body into json: Could not parse payload into json: ${(err as Error).message}`);
  }
  return body;
}

/** Decodes X-Amz-Client-Context (base64 JSON) to the JSON text the runtime receives. */
export function decodeClientContext(header: string | undefined): string | undefined {
  if (header === undefined || header === '') return undefined;
  if (header.length > MAX_CLIENT_CONTEXT_BYTES) {
    throw new ApiError('InvalidParameterValueException', 'Client context must be a valid Base64-encoded JSON object with a maximum size of 3583 bytes.');
  }
  const text = Buffer.from(header, 'base64').toString('utf8');
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
  } catch {
    throw new ApiError('InvalidParameterValueException', 'Client context must be a valid Base64-encoded JSON object.');
  }
  return text;
}

export function parseInvocationType(header: string | undefined): InvocationType {
  if (header === undefined || header === '' || header === 'RequestResponse') return 'RequestResponse';
  if (header === 'Event' || header === 'DryRun') return header;
  throw new ApiError(
    'ValidationException',
    `1 validation error detected: Value '${header}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [RequestResponse, Event, DryRun]`,
  );
}
