/**
 * Serving function URLs on Flint's own port. A request reaches a URL by its host name,
 * `<url-id>.lambda-url.<region>.localhost[:port]` (rewritten by `urlHostRewrite` into the path
 * form before routing), or by the path form `/lambda-url/<url-id>/<path>` for clients that cannot
 * set `Host`. Then: unknown URL 403; CORS preflight answered from the config; the access check
 * (403); the request as a payload format 2.0 event through the one invoke path (entry
 * `FunctionUrl`); the answer mapped to HTTP (BUFFERED), or streamed as written (RESPONSE_STREAM).
 */
import type { IncomingMessage } from 'node:http';
import { rawBody, type FastifyInstance, type FastifyReply, type FastifyRequest } from '../../api/index.ts';
import { isDomainError, type FunctionUrlConfigRecord, type KnownDomainError } from '../../model/index.ts';
import type { Account, Clock } from '../../shared/index.ts';
import { isPreflight, preflightHeaders, responseCorsHeaders } from '../cors.ts';
import { buildHttpEvent } from '../http-event.ts';
import { BAD_GATEWAY, mapFunctionResponse } from '../http-response.ts';
import type { Invoker, UrlAccess } from '../ports.ts';
import { URL_ID_RE } from '../url-id.ts';
import { sendUrlResponse, UrlStreamBody } from '../url-stream-body.ts';

/** Largest request body (and event) a URL takes, as Lambda's synchronous invoke: 6 MB. */
export const MAX_URL_REQUEST_BYTES = 6 * 1024 * 1024;
export const URL_PATH_PREFIX = '/lambda-url/';
const HOST_RE = /^([a-z0-9]{32})\.lambda-url\.[^:]+(?::\d+)?$/i;

/** Finds a URL's config by its id. */
export interface UrlConfigSource {
  byUrlId(urlId: string): Promise<FunctionUrlConfigRecord | undefined>;
}

export interface UrlServingDeps {
  readonly urls: UrlConfigSource;
  readonly invoker: Invoker;
  readonly access: UrlAccess;
  readonly account: Account;
  readonly clock: Clock;
}

/** Fastify `rewriteUrl`: a request whose Host names a URL is routed to the path form. */
export function urlHostRewrite(req: IncomingMessage): string | undefined {
  const m = HOST_RE.exec(req.headers.host ?? '');
  return m ? `${URL_PATH_PREFIX}${m[1]!.toLowerCase()}${req.url ?? '/'}` : undefined;
}

function json(reply: FastifyReply, status: number, body: unknown, extra: Readonly<Record<string, string>> = {}): FastifyReply {
  return reply.code(status).headers(extra).type('application/json').send(JSON.stringify(body));
}

/** Lambda's answers for what stops a URL request before or instead of the function's own answer. */
function errorResponse(reply: FastifyReply, err: KnownDomainError, extra: Readonly<Record<string, string>>): FastifyReply {
  switch (err.kind) {
    case 'Throttled':
      return json(reply, 429, { Message: 'Rate Exceeded.' }, extra);
    case 'PayloadTooLarge':
      return json(reply, 413, { Message: 'Request Entity Too Large' }, extra);
    case 'FunctionNotFound':
      return json(reply, 403, { Message: 'Forbidden' }, extra);
    default:
      return sendUrlResponse(reply, BAD_GATEWAY, extra);
  }
}

/** Path and query as the client sent them, after the `/lambda-url/<id>` prefix. */
function pathAndQuery(url: string, urlId: string): { rawPath: string; rawQueryString: string } {
  const rest = url.slice(URL_PATH_PREFIX.length + urlId.length);
  const q = rest.indexOf('?');
  const path = q < 0 ? rest : rest.slice(0, q);
  return { rawPath: path === '' ? '/' : path, rawQueryString: q < 0 ? '' : rest.slice(q + 1) };
}

function iamAccessKey(authorization: string | undefined): string | undefined {
  return /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)/.exec(authorization ?? '')?.[1];
}

export function registerUrlServingRoute(app: FastifyInstance, deps: UrlServingDeps): void {
  const handler = async (req: FastifyRequest<{ Params: { urlId: string } }>, reply: FastifyReply): Promise<FastifyReply> => {
    const urlId = req.params.urlId;
    const config = URL_ID_RE.test(urlId) ? await deps.urls.byUrlId(urlId) : undefined;
    if (config === undefined) return json(reply, 403, { Message: 'Forbidden' });
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    if (config.cors !== undefined && isPreflight(req.method, req.headers)) return reply.code(200).headers(preflightHeaders(config.cors, origin)).send();
    const cors = responseCorsHeaders(config.cors, origin);
    if ((await deps.access(config.functionName, config.qualifier, config.authType, req)) === 'forbidden') return json(reply, 403, { Message: 'Forbidden' }, cors);
    const body = rawBody(req);
    if (body.length > MAX_URL_REQUEST_BYTES) return json(reply, 413, { Message: 'Request Entity Too Large' }, cors);
    const host = req.headers.host ?? '';
    const viaHost = HOST_RE.test(host);
    const event = buildHttpEvent({
      method: req.method,
      ...pathAndQuery(req.url, urlId),
      rawHeaders: req.raw.rawHeaders,
      body,
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      protocol: `HTTP/${req.raw.httpVersion}`,
      urlId,
      domainName: viaHost ? host.replace(/:\d+$/, '').toLowerCase() : `${urlId}.lambda-url.${deps.account.region}.localhost`,
      accountId: deps.account.accountId,
      requestId: req.id,
      timeMs: deps.clock.now(),
      iamAccessKey: config.authType === 'AWS_IAM' ? iamAccessKey(req.headers.authorization) : undefined,
    });
    const request = {
      entry: 'FunctionUrl' as const,
      requestId: req.id,
      functionName: config.functionName,
      qualifier: config.qualifier === '$LATEST' ? undefined : config.qualifier,
      invocationType: 'RequestResponse' as const,
      payload: Buffer.from(JSON.stringify(event)),
    };
    if (config.invokeMode === 'RESPONSE_STREAM') {
      const stream = new UrlStreamBody(reply, cors);
      try {
        const result = await deps.invoker.invoke({ ...request, responseStream: () => stream.sink() });
        if (result.kind === 'completed') stream.finish(result.outcome);
      } catch (err) {
        if (stream.opened) {
          req.log.error({ err }, 'function URL stream failed after it began');
          stream.abort();
        } else if (isDomainError(err)) {
          return errorResponse(reply, err, cors);
        } else {
          throw err;
        }
      }
      return reply;
    }
    try {
      const result = await deps.invoker.invoke(request);
      if (result.kind !== 'completed') return sendUrlResponse(reply, BAD_GATEWAY, cors);
      const outcome = result.outcome;
      return sendUrlResponse(reply, outcome.functionError ? BAD_GATEWAY : mapFunctionResponse(outcome.payload, outcome.contentType), cors);
    } catch (err) {
      if (isDomainError(err)) {
        if (err.kind === 'PlatformFault') req.log.error({ err: err.cause }, 'function URL invoke failed');
        return errorResponse(reply, err, cors);
      }
      throw err;
    }
  };
  app.all('/lambda-url/:urlId', handler);
  app.all('/lambda-url/:urlId/*', handler);
}
