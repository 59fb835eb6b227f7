/**
 * The one place requests are authenticated and authorised: a `preHandler` hook on the API server
 * (it runs after the body is read, so the payload hash is checked against the bytes received),
 * registered only with `--auth sigv4`. Exempt, each with its own guard: the cluster's routes
 * (`/flint/cluster/*`: the cluster key), the code download links GetFunction hands out
 * (`/flint/code/*`: signed by Flint itself), function URLs (`/lambda-url/*`: NONE ones are public,
 * AWS_IAM ones are verified by the URL's access check), `/metrics` (scraped by Prometheus; keep
 * it on a trusted network), and requests no route matches (they get UnknownOperationException).
 * The Runtime API is on its own server.
 */
import type { FastifyInstance, FastifyRequest } from '../api/index.ts';
import type { Authenticator } from './authenticator.ts';
import type { Authorizer } from './authorizer.ts';
import type { CallerIdentity } from './caller-identity.ts';
import { operationOf } from './operations.ts';
import type { SignedRequest } from './signed-request.ts';

export interface AuthHookDeps {
  readonly authenticator: Authenticator;
  readonly authorizer: Authorizer;
}

const EXEMPT_PREFIXES = ['/flint/cluster/', '/flint/code/', '/lambda-url/'];
const EXEMPT_ROUTES = new Set(['/metrics']);

/** The identity a request was authenticated as (set by the hook; undefined with `--auth none` or on exempt routes). */
const identities = new WeakMap<FastifyRequest, CallerIdentity>();

export function callerOf(req: FastifyRequest): CallerIdentity | undefined {
  return identities.get(req);
}

export function registerAuthHook(app: FastifyInstance, deps: AuthHookDeps): void {
  app.addHook('preHandler', async (req) => {
    const route = req.routeOptions.url;
    if (route === undefined || EXEMPT_ROUTES.has(route) || EXEMPT_PREFIXES.some((p) => route.startsWith(p))) return;
    const signed = signedRequestOf(req);
    const operation = operationOf({ method: req.method, route, params: req.params as Record<string, string | undefined>, query: signed.query, headers: req.headers, body: signed.body });
    const caller = await deps.authenticator.authenticate(signed, operation.service);
    await deps.authorizer.authorize(caller, operation);
    identities.set(req, caller);
  });
}

/** The parts of a Fastify request SigV4 signs, as received (the raw URL, not a rewritten one). */
export function signedRequestOf(req: FastifyRequest, url: string = req.raw.url ?? req.url): SignedRequest {
  const q = url.indexOf('?');
  const body = Buffer.isBuffer(req.body) ? req.body : undefined;
  return { method: req.method, path: q < 0 ? url : url.slice(0, q), query: q < 0 ? '' : url.slice(q + 1), headers: req.headers, body };
}
