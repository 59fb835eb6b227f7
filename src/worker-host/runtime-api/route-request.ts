/**
 * Dispatches one Runtime API request of an already identified sandbox to its route
 * (one file per route, as in RIE `rapi/router.go`). Plain string matching: this is the hot path.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RuntimeSession } from './runtime-session.ts';
import { flintSpecialize, SPECIALIZE_PATH } from './flint-specialize.ts';
import { initError } from './init-error.ts';
import { invocationError } from './invocation-error.ts';
import { invocationNext } from './invocation-next.ts';
import { invocationResponse } from './invocation-response.ts';
import { RUNTIME_API_ERRORS, renderRefusal } from './rendering.ts';

const NEXT_PATH = '/2018-06-01/runtime/invocation/next';
const INVOCATION_PREFIX = '/2018-06-01/runtime/invocation/';
const INIT_ERROR_PATH = '/2018-06-01/runtime/init/error';
const PING_PATH = '/2018-06-01/ping';
const PONG = Buffer.from('pong');

export function routeRequest(req: IncomingMessage, res: ServerResponse, session: RuntimeSession): void {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  const method = req.method;

  if (path === NEXT_PATH) {
    if (method !== 'GET') return refuseMethod(req, res);
    return invocationNext(res, session);
  }
  if (path.startsWith(INVOCATION_PREFIX)) {
    const rest = path.slice(INVOCATION_PREFIX.length);
    const slash = rest.indexOf('/');
    const requestId = slash > 0 ? decodeRequestId(rest.slice(0, slash)) : '';
    const action = slash > 0 ? rest.slice(slash + 1) : '';
    if (requestId !== '' && (action === 'response' || action === 'error')) {
      if (method !== 'POST') return refuseMethod(req, res);
      const handler = action === 'response' ? invocationResponse : invocationError;
      handler(req, res, session, requestId).catch(() => internalError(res));
      return;
    }
  } else if (path === INIT_ERROR_PATH) {
    if (method !== 'POST') return refuseMethod(req, res);
    initError(req, res, session).catch(() => internalError(res));
    return;
  } else if (path === SPECIALIZE_PATH) {
    if (method !== 'GET') return refuseMethod(req, res);
    return flintSpecialize(req, res, session);
  } else if (path === PING_PATH && method === 'GET') {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': PONG.length });
    res.end(PONG);
    return;
  }
  req.resume();
  renderRefusal(res, RUNTIME_API_ERRORS.notFound);
}

function refuseMethod(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  renderRefusal(res, RUNTIME_API_ERRORS.methodNotAllowed);
}

function internalError(res: ServerResponse): void {
  if (!res.headersSent && !res.destroyed) renderRefusal(res, RUNTIME_API_ERRORS.internal);
}

function decodeRequestId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return '';
  }
}
