/**
 * `POST /2018-06-01/runtime/init/error`: the runtime's init phase failed (bad handler, import
 * error, exception at module level). The runtime exits next; the error document answers the
 * invocation that waited for this init ("Error will be served in response to the first invoke").
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RuntimeSession } from './runtime-session.ts';
import { readBody } from './read-body.ts';
import { errorTypeHeader, UNKNOWN_ERROR_TYPE } from './invocation-error.ts';
import { MAX_RESPONSE_PAYLOAD_BYTES, RUNTIME_API_ERRORS, renderAccepted, renderRefusal } from './rendering.ts';

export async function initError(req: IncomingMessage, res: ServerResponse, session: RuntimeSession): Promise<void> {
  const early = session.checkInitError();
  if (early) {
    req.resume();
    renderRefusal(res, early);
    return;
  }
  const body = await readBody(req, MAX_RESPONSE_PAYLOAD_BYTES);
  if (body.kind !== 'ok') {
    if (!res.destroyed) renderRefusal(res, body.kind === 'truncated' ? RUNTIME_API_ERRORS.truncated : RUNTIME_API_ERRORS.tooLarge);
    return;
  }
  const refusal = session.onInitError(errorTypeHeader(req) ?? UNKNOWN_ERROR_TYPE, body.body);
  if (refusal) renderRefusal(res, refusal);
  else renderAccepted(res);
}
