/**
 * CORS of a function URL, from its `Cors` settings: Lambda answers preflight requests itself
 * (the function is not invoked) and adds the CORS headers to every response it sends.
 */
import type { FunctionUrlCors } from '../model/index.ts';

function allowedOrigin(cors: FunctionUrlCors, origin: string | undefined): string | undefined {
  if (origin === undefined) return undefined;
  const origins = cors.AllowOrigins ?? [];
  if (origins.includes('*')) return cors.AllowCredentials === true ? origin : '*';
  return origins.some((o) => o.toLowerCase() === origin.toLowerCase()) ? origin : undefined;
}

/** `OPTIONS` with `Origin` and `Access-Control-Request-Method`. */
export function isPreflight(method: string, headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
  return method === 'OPTIONS' && headers['origin'] !== undefined && headers['access-control-request-method'] !== undefined;
}

/** The headers of Lambda's own answer to a preflight request (none when the origin is not allowed). */
export function preflightHeaders(cors: FunctionUrlCors, origin: string | undefined): Record<string, string> {
  const allow = allowedOrigin(cors, origin);
  if (allow === undefined) return {};
  return {
    'access-control-allow-origin': allow,
    ...(cors.AllowMethods?.length ? { 'access-control-allow-methods': cors.AllowMethods.join(',') } : {}),
    ...(cors.AllowHeaders?.length ? { 'access-control-allow-headers': cors.AllowHeaders.join(',') } : {}),
    ...(cors.ExposeHeaders?.length ? { 'access-control-expose-headers': cors.ExposeHeaders.join(',') } : {}),
    ...(cors.AllowCredentials === true ? { 'access-control-allow-credentials': 'true' } : {}),
    ...(cors.MaxAge !== undefined ? { 'access-control-max-age': String(cors.MaxAge) } : {}),
    vary: 'Origin',
  };
}

/** The CORS headers added to an actual response (none without a `Cors` config or an allowed `Origin`). */
export function responseCorsHeaders(cors: FunctionUrlCors | undefined, origin: string | undefined): Record<string, string> {
  if (cors === undefined) return {};
  const allow = allowedOrigin(cors, origin);
  if (allow === undefined) return {};
  return {
    'access-control-allow-origin': allow,
    ...(cors.ExposeHeaders?.length ? { 'access-control-expose-headers': cors.ExposeHeaders.join(',') } : {}),
    ...(cors.AllowCredentials === true ? { 'access-control-allow-credentials': 'true' } : {}),
    vary: 'Origin',
  };
}
