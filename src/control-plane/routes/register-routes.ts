/** Adds every control-plane route to the API server, one registration per resource. */
import type { FastifyInstance } from '../../api/index.ts';
import { registerAccountSettingsRoute } from './account-settings-route.ts';
import { registerAliasesRoute } from './aliases-route.ts';
import { registerCodeDownloadRoute } from './code-download-route.ts';
import { registerConcurrencyRoute } from './concurrency-route.ts';
import { registerFunctionCodeRoute } from './function-code-route.ts';
import { registerFunctionConfigurationRoute } from './function-configuration-route.ts';
import { registerFunctionsRoute } from './functions-route.ts';
import { registerLayersRoute } from './layers-route.ts';
import { registerPolicyRoute } from './policy-route.ts';
import { registerProvisionedConcurrencyRoute } from './provisioned-concurrency-route.ts';
import type { ControlPlaneRouteDeps } from './route-deps.ts';
import { registerTagsRoute } from './tags-route.ts';
import { registerVersionsRoute } from './versions-route.ts';

export function registerRoutes(app: FastifyInstance, deps: ControlPlaneRouteDeps): void {
  registerFunctionsRoute(app, deps);
  registerFunctionConfigurationRoute(app, deps);
  registerFunctionCodeRoute(app, deps);
  registerVersionsRoute(app, deps);
  registerAliasesRoute(app, deps);
  registerPolicyRoute(app, deps);
  registerLayersRoute(app, deps);
  registerConcurrencyRoute(app, deps);
  registerProvisionedConcurrencyRoute(app, deps);
  registerTagsRoute(app, deps);
  registerAccountSettingsRoute(app, deps);
  registerCodeDownloadRoute(app, deps);
}
