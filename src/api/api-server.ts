import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { isDomainError } from '../model/index.ts';
import { ApiError, errors, internalError, renderApiError, type Logger } from '../shared/index.ts';
import { wireError } from './domain-error-wire.ts';

/** Largest request body any route accepts (CreateFunction: 50 MB zip, base64 in JSON). */
export const MAX_API_BODY_BYTES = 70 * 1024 * 1024;

export interface ApiServerOptions {
  readonly logger: Logger;
  /** Routes a request elsewhere before routing (function URLs by Host): the URL to route by, or undefined to keep it. */
  readonly rewriteUrl?: ((req: IncomingMessage) => string | undefined) | undefined;
}

/**
 * The HTTP edge shared by the control plane and the front end: restJson1 routing
 * (paths with and without a trailing slash, percent-decoded labels), a request id
 * on every response and log line, raw bodies (each route parses its own), and the
 * one place where errors become wire responses (API errors as they are, domain
 * errors through `wireError`, anything else as a 500 without internals).
 */
export function createApiServer(options: ApiServerOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: () => randomUUID(),
    bodyLimit: MAX_API_BODY_BYTES,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 1024 },
    return503OnClosing: false,
    // errors the router meets before any route runs (a label that does not percent-decode, one over maxParamLength)
    frameworkErrors: (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => sendError(frameworkError(err), req, reply),
    // on close, idle keep-alive connections go at once; requests in flight get the shutdown grace (main.ts)
    forceCloseConnections: 'idle',
    ...(options.rewriteUrl === undefined ? {} : { rewriteUrl: (req: IncomingMessage) => options.rewriteUrl!(req) ?? req.url ?? '/' }),
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_API_BODY_BYTES }, (_req, body, done) => done(null, body));

  // Callback-style hooks: no promise per request on the invoke hot path.
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-amzn-RequestId', req.id);
    done();
  });
  if (options.logger.isLevelEnabled('debug')) {
    app.addHook('onResponse', (req, reply, done) => {
      req.log.debug({ method: req.method, url: req.url, status: reply.statusCode, ms: reply.elapsedTime }, 'request');
      done();
    });
  }

  app.setErrorHandler((err: FastifyError | Error, req, reply) => sendError(toApiError(err, req), req, reply));
  app.setNotFoundHandler((req, reply) => {
    sendError(new ApiError('UnknownOperationException', `Unknown operation ${req.method} ${req.url.split('?')[0]}`), req, reply);
  });
  return app;
}

function toApiError(err: FastifyError | Error, req: FastifyRequest): ApiError {
  if (err instanceof ApiError) return err;
  if (isDomainError(err)) {
    if (err.kind === 'PlatformFault') req.log.error({ err: err.cause }, 'platform fault');
    return wireError(err);
  }
  const code = (err as FastifyError).code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const limit = req.url.includes('invocations') ? '6291456 bytes for the InvokeFunction' : '70167211 bytes for the';
    return new ApiError('RequestEntityTooLargeException', `Request must be smaller than ${limit} operation`);
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    // a Content-Type that is no media type at all (`''`, `x/y;;;`): no parser can take the body
    return new ApiError('UnsupportedMediaTypeException', 'The content-type of the request body is not a valid media type.');
  }
  if (code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return new ApiError('InvalidRequestContentException', 'Could not parse request body into json.');
  }
  req.log.error({ err }, 'unhandled error');
  return internalError();
}

/** The router's own refusals, as Lambda-shaped errors (the path is not echoed: it may be anything). */
function frameworkError(err: FastifyError): ApiError {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') return errors.validation('1 validation error detected: a path label failed to satisfy constraint: Member must have length less than or equal to 1024');
  if (err.code === 'FST_ERR_BAD_URL') return errors.invalidContent('The request path is not valid: a percent-encoded label does not decode.');
  return internalError();
}

function sendError(err: ApiError, req: FastifyRequest, reply: FastifyReply): void {
  if (!reply.hasHeader('x-amzn-RequestId')) reply.header('x-amzn-RequestId', req.id);
  const rendered = renderApiError(err);
  const message = err.logMessage ?? err.message;
  if (rendered.status >= 500) req.log.warn({ code: err.code }, message);
  else req.log.info({ code: err.code, status: rendered.status }, message);
  void reply.code(rendered.status).headers(rendered.headers).type('application/json').send(JSON.stringify(rendered.body));
}
