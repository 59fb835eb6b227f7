/**
 * `POST /2018-06-01/runtime/invocation/{id}/error`: the function failed. The body (the error
 * document) becomes the Invoke payload verbatim; `Lambda-Runtime-Function-Error-Type` names it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { functionError } from '../../model/index.ts';
import type { RuntimeSession } from './runtime-session.ts';
import { readBody } from './read-body.ts';
import { MAX_RESPONSE_PAYLOAD_BYTES, RUNTIME_API_ERRORS, renderAccepted, renderRefusal } from './rendering.ts';

/** Error type when the runtime did not name one (RIE's fallback for unclassified runtime errors). */
export const UNKNOWN_ERROR_TYPE = 'Runtime.Unknown';

export async function invocationError(
  req: IncomingMessage, res: ServerResponse, session: RuntimeSession, requestId: string,
): Promise<void> {
  const early = session.checkAnswer(requestId, 'error');
  if (early) {
    req.resume();
    renderRefusal(res, early);
    return;
  }
  const body = await readBody(req, MAX_RESPONSE_PAYLOAD_BYTES);
  if (body.kind === 'truncated') {
    if (!res.destroyed) renderRefusal(res, RUNTIME_API_ERRORS.truncated);
    return;
  }
  const errorType = errorTypeHeader(req) ?? UNKNOWN_ERROR_TYPE;
  const payload = body.kind === 'ok' ? body.body : Buffer.from(JSON.stringify({
    errorMessage: `Error payload size exceeded maximum allowed payload size (${MAX_RESPONSE_PAYLOAD_BYTES} bytes).`,
    errorType: 'Function.ResponseSizeTooLarge',
  }));
  const refusal = session.completeInvocation(requestId, functionError(errorType, payload));
  if (refusal) renderRefusal(res, refusal);
  else if (body.kind === 'too-large') renderRefusal(res, RUNTIME_API_ERRORS.tooLarge);
  else renderAccepted(res);
}

export function errorTypeHeader(req: IncomingMessage): string | undefined {
  const value = req.headers['lambda-runtime-function-error-type'];
  const type = Array.isArray(value) ? value[0] : value;
  return type === undefined || type === '' ? undefined : type;
}
