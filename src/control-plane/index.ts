/**
 * Control plane: Lambda's management operations on functions (create, read,
 * list, update code and configuration, delete), published versions, aliases,
 * reserved and provisioned concurrency, tags and account settings, over the
 * embedded database and the code store. Routes translate the wire into typed
 * commands; the services hold the rules; the repositories persist.
 *
 * For the data plane:
 * - `resolver.resolve(functionName, qualifier)` gives the FunctionVersionConfig an
 *   invoke runs (the front end's FunctionResolver port), through alias weights;
 *   the package is `codeStore.get(config.codeSha256Hex)`.
 * - `onFunctionChanged(listener)` reports `$LATEST` updates and deleted versions
 *   and functions (the worker manager retires stale sandboxes).
 * - `provisioned` lists what provisioned concurrency wants initialised and takes
 *   back its status (`markReady` / `markFailed`).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from '../api/index.ts';
import { inspectPackage, type CodeStore } from '../code-store/index.ts';
import type { Database } from '../db/index.ts';
import type { Account, Clock, Logger } from '../shared/index.ts';
import { accountSettings, type AccountQuotas } from './account-settings.ts';
import { AliasRepository } from './alias-repository.ts';
import { AliasService } from './alias-service.ts';
import { CodeLocationSigner } from './code-location.ts';
import { DeploymentPackages } from './deployment-packages.ts';
import { FunctionChanges, type FunctionChangeListener } from './function-changes.ts';
import { listFunctions } from './function-listing.ts';
import { FunctionRepository } from './function-repository.ts';
import { FunctionResolver } from './function-resolver.ts';
import { FunctionService } from './function-service.ts';
import { FunctionSettler } from './function-settler.ts';
import { FunctionTags } from './function-tags.ts';
import type { ConcurrencyLedger } from './ports.ts';
import { ProvisionedConcurrencyRegistry, type ProvisionedAllocation } from './provisioned-concurrency-registry.ts';
import { ProvisionedConcurrencyRepository } from './provisioned-concurrency-repository.ts';
import { ProvisionedConcurrencyService } from './provisioned-concurrency-service.ts';
import { ReservedConcurrencyService } from './reserved-concurrency-service.ts';
import { registerRoutes } from './routes/register-routes.ts';
import type { ControlPlaneRouteDeps } from './routes/route-deps.ts';
import { VersionService } from './version-service.ts';

export { FunctionRepository, type FunctionRecord } from './function-repository.ts';
export { FunctionResolver, type ResolvedTarget, type QualifiedName } from './function-resolver.ts';
export { FunctionService } from './function-service.ts';
export { renderFunctionConfiguration } from './function-view.ts';
export { SUPPORTED_RUNTIMES } from './function-validation.ts';
export type { AccountQuotas } from './account-settings.ts';
export type { ConcurrencyLedger } from './ports.ts';
export type { FunctionChange, FunctionChangeKind, FunctionChangeListener } from './function-changes.ts';
export type { ProvisionedAllocation, ProvisionedStatus } from './provisioned-concurrency-registry.ts';

/** How long a version stays Pending / InProgress after a write before it settles. */
export const DEFAULT_SETTLE_DELAY_MS = 250;

export interface ControlPlaneDeps {
  readonly db: Database;
  readonly codeStore: CodeStore;
  readonly account: Account;
  readonly quotas: AccountQuotas;
  /** The counting service, kept in step with stored reservations and provisioned concurrency. */
  readonly ledger: ConcurrencyLedger;
  readonly clock: Clock;
  readonly logger: Logger;
  /** At least 32 random bytes that sign Code.Location URLs. */
  readonly codeLocationKey: Buffer;
  readonly settleDelayMs?: number;
  /** Uniform in [0, 1) for weighted alias routing (default Math.random). */
  readonly random?: () => number;
}

/** What the data plane's worker manager uses to keep provisioned sandboxes initialised. */
export interface ProvisionedConcurrency {
  /** Every config with the versions to keep initialised and how many sandboxes each. */
  allocations(): ProvisionedAllocation[];
  /** Fires when allocations may have changed; call `allocations()` again. Returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
  /** The config's sandboxes are initialised: Status READY, Available = Requested. */
  markReady(functionName: string, qualifier: string): void;
  /** The config cannot be allocated: Status FAILED with the reason. */
  markFailed(functionName: string, qualifier: string, reason: string): void;
}

export interface ControlPlane {
  readonly functions: FunctionService;
  /** Resolves FunctionName + Qualifier to the version that runs (front-end port). */
  readonly resolver: FunctionResolver;
  readonly provisioned: ProvisionedConcurrency;
  /** Subscribes to `$LATEST` updates and version / function deletions. Returns the unsubscribe function. */
  onFunctionChanged(listener: FunctionChangeListener): () => void;
  /** Adds the control-plane routes to the API server (before it listens). */
  register(app: FastifyInstance): void;
  /** Settles versions a previous process left Pending / InProgress; loads reservations into the counting service. */
  start(): void;
  /** Cancels pending state transitions. Idempotent. */
  stop(): void;
}

export function createControlPlane(deps: ControlPlaneDeps): ControlPlane {
  const logger = deps.logger.child({ component: 'control-plane' });
  const repository = new FunctionRepository(deps.db);
  const aliasRepository = new AliasRepository(deps.db);
  const configs = new ProvisionedConcurrencyRepository(deps.db);
  const changes = new FunctionChanges(logger);
  const resolver = new FunctionResolver({ repository, aliases: aliasRepository, account: deps.account, random: deps.random ?? Math.random });
  const newRevisionId = (): string => randomUUID();
  const settler = new FunctionSettler({
    repository,
    newRevisionId,
    logger,
    settleDelayMs: deps.settleDelayMs ?? DEFAULT_SETTLE_DELAY_MS,
    onSettled: (name) => changes.touched(name),
  });
  const packages = new DeploymentPackages({
    codeStore: deps.codeStore,
    isReferenced: (sha) => repository.isCodeReferenced(sha),
    inspect: (zip) => inspectPackage(zip),
    logger,
  });
  const common = { repository, resolver, changes, clock: deps.clock, newRevisionId };
  const versions = new VersionService({ ...common, aliases: aliasRepository, packages, settler });
  const functions = new FunctionService({ ...common, packages, settler, versions });
  const registry = new ProvisionedConcurrencyRegistry({ repository, aliases: aliasRepository, configs, logger });
  const reservedConcurrency = new ReservedConcurrencyService({ repository, provisioned: configs, resolver, ledger: deps.ledger });
  const provisionedConcurrency = new ProvisionedConcurrencyService({ ...common, aliases: aliasRepository, configs, registry, ledger: deps.ledger });

  changes.onTouched((name) => {
    resolver.invalidate(name);
    deps.ledger.setProvisioned(name, configs.total(name));
    registry.refresh(name);
  });
  changes.onFunctionChanged((change) => {
    if (change.kind === 'function-deleted') reservedConcurrency.forget(change.functionName);
  });

  const routeDeps: ControlPlaneRouteDeps = {
    account: deps.account,
    functions,
    versions,
    aliases: new AliasService({ repository, aliases: aliasRepository, resolver, changes, newRevisionId }),
    reservedConcurrency,
    provisionedConcurrency,
    provisionedRegistry: registry,
    listFunctions: (query) => listFunctions(repository, query),
    tags: new FunctionTags(repository, resolver),
    accountSettings: () => accountSettings(repository, deps.codeStore, deps.quotas, deps.ledger.unreservedLimit()),
    signer: new CodeLocationSigner(deps.codeLocationKey, deps.clock),
    codeStore: deps.codeStore,
  };
  return {
    functions,
    resolver,
    provisioned: {
      allocations: () => registry.allocations(),
      onChange: (listener) => registry.onChange(listener),
      markReady: (name, qualifier) => registry.markReady(name, qualifier),
      markFailed: (name, qualifier, reason) => registry.markFailed(name, qualifier, reason),
    },
    onFunctionChanged: (listener) => changes.onFunctionChanged(listener),
    register: (app) => registerRoutes(app, routeDeps),
    start: () => {
      settler.recover();
      reservedConcurrency.restore();
    },
    stop: () => settler.stop(),
  };
}
