/**
 * `POST /` is shared by the AWS services Flint speaks besides Lambda: JSON-protocol requests by
 * their `X-Amz-Target` prefix (`Logs_20140328.`, `AmazonSQS.`), query-protocol forms (`Action=`) by
 * the service that registered for them. One route, registered with the first handler; a `POST /`
 * nobody claims is the Lambda API's unknown operation, as before.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../shared/index.ts';

export type RpcHandler = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
/** Renders an error thrown for a request of this service (its handler's, or Fastify's before it ran: a bad Content-Type, a body over the limit), or rethrows it for the Lambda API's error handler. */
export type RpcErrorHandler = (err: Error & { statusCode?: number; code?: string }, req: FastifyRequest, reply: FastifyReply) => void;

interface TargetService {
  readonly handler: RpcHandler;
  readonly onError: RpcErrorHandler | undefined;
}

interface Dispatch {
  readonly targets: Map<string, TargetService>;
  query: TargetService | undefined;
}

const DISPATCH = new WeakMap<FastifyInstance, Dispatch>();

/** Routes `POST /` requests whose `X-Amz-Target` starts with `prefix` to `handler` (and their errors to `onError`, when given). */
export function addTargetHandler(app: FastifyInstance, prefix: string, handler: RpcHandler, onError?: RpcErrorHandler): void {
  dispatchOf(app).targets.set(prefix, { handler, onError });
}

/** Routes `POST /` form bodies (`application/x-www-form-urlencoded`) with an `Action` to `handler` (and their errors to `onError`, when given). */
export function addQueryActionHandler(app: FastifyInstance, handler: RpcHandler, onError?: RpcErrorHandler): void {
  dispatchOf(app).query = { handler, onError };
}

/** Whether the request is a query-protocol form with an `Action`. */
export function isQueryForm(req: FastifyRequest): boolean {
  const type = req.headers['content-type'];
  if (typeof type !== 'string' || !type.toLowerCase().startsWith('application/x-www-form-urlencoded')) return false;
  const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  return new URLSearchParams(body).has('Action');
}

function dispatchOf(app: FastifyInstance): Dispatch {
  let dispatch = DISPATCH.get(app);
  if (dispatch !== undefined) return dispatch;
  const created: Dispatch = { targets: new Map(), query: undefined };
  DISPATCH.set(app, (dispatch = created));
  const serviceOf = (req: FastifyRequest): TargetService | undefined => {
    const target = req.headers['x-amz-target'];
    if (typeof target !== 'string') return undefined;
    for (const [prefix, service] of created.targets) if (target.startsWith(prefix)) return service;
    return undefined;
  };
  const queryService = (req: FastifyRequest): TargetService | undefined =>
    (typeof req.headers['x-amz-target'] !== 'string' && created.query !== undefined && isQueryForm(req) ? created.query : undefined);
  const errorHandler = (err: Error, req: FastifyRequest, reply: FastifyReply): void => {
    const onError = (serviceOf(req) ?? queryService(req))?.onError;
    if (onError === undefined) throw err;
    onError(err, req, reply);
  };
  app.post('/', { errorHandler }, async (req, reply) => {
    const service = serviceOf(req);
    if (service !== undefined) return service.handler(req, reply);
    const query = queryService(req);
    if (query !== undefined) return query.handler(req, reply);
    throw new ApiError('UnknownOperationException', `Unknown operation ${req.method} ${req.url.split('?')[0]}`);
  });
  return dispatch;
}
