/**
 * Control plane: Lambda's management operations on functions (create, read,
 * list, update code and configuration, delete), tags and account settings, over
 * the embedded database and the code store. Routes translate the wire into
 * typed commands; FunctionService holds the rules; FunctionRepository persists.
 *
 * For the data plane: `resolver.resolve(functionName, qualifier)` gives the
 * FunctionVersionConfig an invoke runs (the front end's FunctionResolver port),
 * and the package is `codeStore.get(config.codeSha256Hex)`.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from '../api/index.ts';
import { inspectPackage, type CodeStore } from '../code-store/index.ts';
import type { Database } from '../db/index.ts';
import type { Account, Clock, Logger } from '../shared/index.ts';
import { accountSettings, type AccountQuotas } from './account-settings.ts';
import { CodeLocationSigner } from './code-location.ts';
import { DeploymentPackages } from './deployment-packages.ts';
import { listFunctions } from './function-listing.ts';
import { FunctionRepository } from './function-repository.ts';
import { FunctionResolver } from './function-resolver.ts';
import { FunctionService } from './function-service.ts';
import { FunctionSettler } from './function-settler.ts';
import { FunctionTags } from './function-tags.ts';
import { registerAccountSettingsRoute } from './routes/account-settings-route.ts';
import { registerCodeDownloadRoute } from './routes/code-download-route.ts';
import { registerFunctionCodeRoute } from './routes/function-code-route.ts';
import { registerFunctionConfigurationRoute } from './routes/function-configuration-route.ts';
import { registerFunctionsRoute } from './routes/functions-route.ts';
import type { ControlPlaneRouteDeps } from './routes/route-deps.ts';
import { registerTagsRoute } from './routes/tags-route.ts';

export { FunctionRepository, type FunctionRecord } from './function-repository.ts';
export { FunctionResolver, type ResolvedTarget, type QualifiedName } from './function-resolver.ts';
export { FunctionService } from './function-service.ts';
export { renderFunctionConfiguration } from './function-view.ts';
export { SUPPORTED_RUNTIMES } from './function-validation.ts';
export type { AccountQuotas } from './account-settings.ts';

/** How long a version stays Pending / InProgress after a write before it settles. */
export const DEFAULT_SETTLE_DELAY_MS = 250;

export interface ControlPlaneDeps {
  readonly db: Database;
  readonly codeStore: CodeStore;
  readonly account: Account;
  readonly quotas: AccountQuotas;
  readonly clock: Clock;
  readonly logger: Logger;
  /** At least 32 random bytes that sign Code.Location URLs. */
  readonly codeLocationKey: Buffer;
  readonly settleDelayMs?: number;
}

export interface ControlPlane {
  readonly functions: FunctionService;
  /** Resolves FunctionName + Qualifier to the version that runs (front-end port). */
  readonly resolver: FunctionResolver;
  /** Adds the control-plane routes to the API server (before it listens). */
  register(app: FastifyInstance): void;
  /** Settles versions a previous process left Pending / InProgress. */
  start(): void;
  /** Cancels pending state transitions. Idempotent. */
  stop(): void;
}

export function createControlPlane(deps: ControlPlaneDeps): ControlPlane {
  const logger = deps.logger.child({ component: 'control-plane' });
  const repository = new FunctionRepository(deps.db);
  const resolver = new FunctionResolver(repository, deps.account);
  const newRevisionId = (): string => randomUUID();
  const settler = new FunctionSettler({ repository, newRevisionId, logger, settleDelayMs: deps.settleDelayMs ?? DEFAULT_SETTLE_DELAY_MS });
  const packages = new DeploymentPackages({
    codeStore: deps.codeStore,
    isReferenced: (sha) => repository.isCodeReferenced(sha),
    inspect: (zip) => inspectPackage(zip),
    logger,
  });
  const functions = new FunctionService({ repository, resolver, packages, settler, clock: deps.clock, newRevisionId });
  const routeDeps: ControlPlaneRouteDeps = {
    account: deps.account,
    functions,
    listFunctions: (query) => listFunctions(repository, query),
    tags: new FunctionTags(repository, resolver),
    accountSettings: () => accountSettings(repository, deps.codeStore, deps.quotas),
    signer: new CodeLocationSigner(deps.codeLocationKey, deps.clock),
    codeStore: deps.codeStore,
  };
  return {
    functions,
    resolver,
    register(app) {
      registerFunctionsRoute(app, routeDeps);
      registerFunctionConfigurationRoute(app, routeDeps);
      registerFunctionCodeRoute(app, routeDeps);
      registerTagsRoute(app, routeDeps);
      registerAccountSettingsRoute(app, routeDeps);
      registerCodeDownloadRoute(app, routeDeps);
    },
    start: () => settler.recover(),
    stop: () => settler.stop(),
  };
}
