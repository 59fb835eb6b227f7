/** What both invoke routes (Invoke, InvokeWithResponseStream) read off the wire alike. */
import type { FastifyRequest } from '../api/index.ts';
import { rawBody } from '../api/index.ts';
import type { InvokeRequest } from '../model/index.ts';

/** A request header's (first) value. */
export function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The parts of an invoke request the path, query, headers and body give (the route adds its entry and type). */
export function invokeRequestParts(req: FastifyRequest<{ Params: { name: string }; Querystring: { Qualifier?: string } }>) {
  return {
    requestId: req.id,
    functionName: req.params.name,
    qualifier: req.query.Qualifier,
    payload: rawBody(req),
    clientContext: header(req, 'x-amz-client-context'),
    tailLog: header(req, 'x-amz-log-type') === 'Tail',
  } satisfies Partial<InvokeRequest>;
}
