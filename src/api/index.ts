/** The HTTP edge: one Fastify server for the Lambda API, shared error rendering and body parsing. */
export { createApiServer, MAX_API_BODY_BYTES, type ApiServerOptions } from './api-server.ts';
export { jsonBody, rawBody } from './request-body.ts';
export type { FastifyInstance, FastifyRequest, FastifyReply } from 'fastify';
export { parseBody, pathLabel, queryValue, queryList, queryInteger } from './request-parts.ts';
export { addQueryActionHandler, addTargetHandler, isQueryForm, type RpcHandler } from './rpc-dispatch.ts';
