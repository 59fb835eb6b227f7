/**
 * The `application/vnd.amazon.eventstream` messages of InvokeWithResponseStream, framed by the
 * SDK's own codec (`@smithy/core/event-streams`: prelude, header block, CRC32s): `PayloadChunk`
 * events carry the function's bytes, one `InvokeComplete` event ends the stream (with
 * ErrorCode / ErrorDetails when the function failed, LogResult with LogType Tail).
 */
import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/core/serde';

export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

/** The members of `InvokeWithResponseStreamCompleteEvent`. */
export interface InvokeCompleteEvent {
  readonly ErrorCode?: string | undefined;
  readonly ErrorDetails?: string | undefined;
  readonly LogResult?: string | undefined;
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function event(type: string, contentType: string, body: Uint8Array): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: type },
      ':message-type': { type: 'string', value: 'event' },
      ':content-type': { type: 'string', value: contentType },
    },
    body,
  });
}

/** A `PayloadChunk` event carrying `payload` (its event payload, bytes as they are). */
export function payloadChunk(payload: Uint8Array): Uint8Array {
  return event('PayloadChunk', 'application/octet-stream', payload);
}

/** The final `InvokeComplete` event (a JSON body of its members that have a value). */
export function invokeComplete(complete: InvokeCompleteEvent): Uint8Array {
  return event('InvokeComplete', 'application/json', fromUtf8(JSON.stringify(complete)));
}

/**
 * ErrorCode and ErrorDetails of a failed invocation from its error document
 * (`{"errorType","errorMessage"}`): the error type, and the message (the document itself when it has none).
 */
export function completeError(errorType: string | undefined, payload: Buffer): { ErrorCode: string; ErrorDetails: string } {
  let message: unknown;
  try {
    message = (JSON.parse(payload.toString('utf8')) as { errorMessage?: unknown } | null)?.errorMessage;
  } catch {
    message = undefined;
  }
  return { ErrorCode: errorType ?? 'Unhandled', ErrorDetails: typeof message === 'string' ? message : payload.toString('utf8') };
}
