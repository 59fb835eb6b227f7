/**
 * `POST /2018-06-01/runtime/invocation/{id}/response`: the function's result.
 * Over MAX_RESPONSE_PAYLOAD_BYTES the runtime gets 413 and the invocation fails with
 * `Function.ResponseSizeTooLarge` (spec section 1.2). Streaming mode: invocation-stream.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { functionError } from '../../model/index.ts';
import type { RuntimeSession } from './runtime-session.ts';
import { invocationStream } from './invocation-stream.ts';
import { readBody } from './read-body.ts';
import { MAX_RESPONSE_PAYLOAD_BYTES, RUNTIME_API_ERRORS, renderAccepted, renderRefusal } from './rendering.ts';

const RESPONSE_TOO_LARGE = Buffer.from(JSON.stringify({
  errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_PAYLOAD_BYTES} bytes).`,
  errorType: 'Function.ResponseSizeTooLarge',
}));

export async function invocationResponse(
  req: IncomingMessage, res: ServerResponse, session: RuntimeSession, requestId: string,
): Promise<void> {
  const early = session.checkAnswer(requestId, 'response');
  if (early) {
    req.resume();
    renderRefusal(res, early);
    return;
  }
  const mode = req.headers['lambda-runtime-function-response-mode'];
  if (mode !== undefined && mode !== 'streaming') {
    req.resume();
    session.completeInvocation(requestId, functionError('Runtime.InvalidResponseModeHeader', Buffer.alloc(0)));
    renderRefusal(res, RUNTIME_API_ERRORS.invalidResponseMode);
    return;
  }
  if (mode === 'streaming') return invocationStream(req, res, session, requestId);
  const body = await readBody(req, MAX_RESPONSE_PAYLOAD_BYTES);
  if (body.kind === 'truncated') {
    if (!res.destroyed) renderRefusal(res, RUNTIME_API_ERRORS.truncated);
    return;
  }
  if (body.kind === 'too-large') {
    const refusal = session.completeInvocation(requestId, functionError('Function.ResponseSizeTooLarge', RESPONSE_TOO_LARGE));
    renderRefusal(res, refusal ?? RUNTIME_API_ERRORS.tooLarge);
    return;
  }
  const contentType = req.headers['content-type'];
  const refusal = session.completeInvocation(requestId, { payload: body.body, contentType });
  if (refusal) renderRefusal(res, refusal);
  else renderAccepted(res);
}
