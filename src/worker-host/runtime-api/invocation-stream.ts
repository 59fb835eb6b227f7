/**
 * `POST /2018-06-01/runtime/invocation/{id}/response` with `Lambda-Runtime-Function-Response-Mode:
 * streaming` (AWS, "Custom runtimes: implementing response streaming"): the body (HTTP/1.1 chunked)
 * goes to the invocation's ResponseSink piece by piece as it arrives; an error after some bytes comes
 * as the trailers `Lambda-Runtime-Function-Error-Type` and `Lambda-Runtime-Function-Error-Body`
 * (base64 of the error document), as AWS's runtime interface clients send them.
 *
 * Without a sink (a buffered Invoke of a streaming function) the body is collected, with the
 * buffered limit. Past the limit the rest is read and dropped, the runtime gets 413 and the
 * invocation ends with `Function.ResponseSizeTooLarge`. Once the invocation was settled otherwise
 * (timeout, exit) whatever still arrives is dropped.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { functionError, type FunctionResult } from '../../model/index.ts';
import type { RuntimeSession } from './runtime-session.ts';
import {
  MAX_RESPONSE_PAYLOAD_BYTES, MAX_STREAMED_RESPONSE_BYTES, RUNTIME_API_ERRORS, renderAccepted, renderRefusal,
} from './rendering.ts';

const EMPTY = Buffer.alloc(0);
export const ERROR_TYPE_TRAILER = 'lambda-runtime-function-error-type';
export const ERROR_BODY_TRAILER = 'lambda-runtime-function-error-body';

export async function invocationStream(
  req: IncomingMessage, res: ServerResponse, session: RuntimeSession, requestId: string,
): Promise<void> {
  const sink = session.responseSink(requestId);
  const limit = sink ? MAX_STREAMED_RESPONSE_BYTES : MAX_RESPONSE_PAYLOAD_BYTES;
  const chunks: Buffer[] = [];
  let bytes = 0;
  sink?.begin?.(req.headers['content-type']);
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      const before = bytes;
      bytes += chunk.length;
      if (!sink) {
        if (bytes <= limit) chunks.push(chunk);
        else chunks.length = 0;
      } else if (before < limit && session.checkAnswer(requestId, 'response') === undefined) {
        await sink.write(bytes <= limit ? chunk : chunk.subarray(0, limit - before)); // the caller gets up to the limit
      }
    }
  } catch {
    if (!res.destroyed) renderRefusal(res, RUNTIME_API_ERRORS.truncated);
    return;
  }
  const result = streamResult(req, bytes, limit, chunks, sink !== undefined);
  const refusal = session.completeInvocation(requestId, result);
  if (refusal) renderRefusal(res, refusal);
  else if (bytes > limit) renderRefusal(res, RUNTIME_API_ERRORS.tooLarge);
  else renderAccepted(res);
}

/** How a streamed response ended: well, with the runtime's error trailers, or over the limit. */
export function streamResult(req: IncomingMessage, bytes: number, limit: number, chunks: readonly Buffer[], streamed: boolean): FunctionResult {
  const errorType = trailer(req, ERROR_TYPE_TRAILER);
  if (errorType !== undefined) {
    const body = trailer(req, ERROR_BODY_TRAILER);
    const payload = body === undefined ? Buffer.from(JSON.stringify({ errorType, errorMessage: '' })) : Buffer.from(body, 'base64');
    return { ...functionError(errorType, payload), streamed };
  }
  if (bytes > limit) {
    return {
      ...functionError('Function.ResponseSizeTooLarge', Buffer.from(JSON.stringify({
        errorMessage: `Response payload size exceeded maximum allowed payload size (${limit} bytes).`,
        errorType: 'Function.ResponseSizeTooLarge',
      }))),
      streamed,
    };
  }
  const payload = streamed || chunks.length === 0 ? EMPTY : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, bytes);
  return { payload, contentType: req.headers['content-type'], streamed };
}

function trailer(req: IncomingMessage, name: string): string | undefined {
  const value = req.trailers[name];
  return value === undefined || value === '' ? undefined : value;
}
