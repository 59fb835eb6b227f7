/**
 * Function URLs: the FunctionUrlConfig API (Create / Get / Update / Delete / List) and serving
 * each URL on Flint's own port (Host `<url-id>.lambda-url.<region>.localhost`, or the path form
 * `/lambda-url/<url-id>/...`) as payload format 2.0 events through the one invoke path.
 */
import type { FastifyInstance } from '../api/index.ts';
import type { Account, Clock } from '../shared/index.ts';
import type { FunctionUrlConfigStore } from '../storage/index.ts';
import type { FunctionLookup, Invoker, UrlAccess } from './ports.ts';
import { registerUrlConfigRoute } from './routes/url-config-route.ts';
import { registerUrlServingRoute } from './routes/url-serving-route.ts';
import { FunctionUrlConfigService } from './url-config-service.ts';

export type { FunctionLookup, Invoker, UrlAccess } from './ports.ts';
export { urlHostRewrite, MAX_URL_REQUEST_BYTES } from './routes/url-serving-route.ts';
export { FunctionUrlConfigService } from './url-config-service.ts';

export interface FunctionUrlsDeps {
  readonly store: FunctionUrlConfigStore;
  readonly functions: FunctionLookup;
  readonly invoker: Invoker;
  /** Who may call a URL (the resource-policy check plugs in here). */
  readonly access: UrlAccess;
  readonly account: Account;
  readonly clock: Clock;
  /** `host:port` the URLs are served on, as they are shown (`localhost:9000`). */
  readonly urlHost: () => string;
}

/** Registers the FunctionUrlConfig API and the URL serving routes. */
export function registerFunctionUrls(app: FastifyInstance, deps: FunctionUrlsDeps): FunctionUrlConfigService {
  const service = new FunctionUrlConfigService({ store: deps.store, functions: deps.functions, account: deps.account, clock: deps.clock, urlHost: deps.urlHost });
  registerUrlConfigRoute(app, service);
  registerUrlServingRoute(app, { urls: deps.store, invoker: deps.invoker, access: deps.access, account: deps.account, clock: deps.clock });
  return service;
}

export { anySignedRequest, policyAccess, type IamGrant, type PublicGrant } from './url-access.ts';
