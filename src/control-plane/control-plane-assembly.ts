/**
 * Builds the control plane's parts from its dependencies: stores, the resolver,
 * the services, and the subscriptions that keep the resolver's cache, the
 * counting service and the provisioned concurrency registry in step with writes.
 */
import { randomUUID } from 'node:crypto';
import { inspectPackage, type CodeStore } from '../code-store/index.ts';
import type { Database } from '../db/index.ts';
import { componentLogger, type Account, type Clock, type Logger } from '../shared/index.ts';
import { accountSettings, type AccountQuotas } from './account-settings.ts';
import { AliasRepository } from './alias-repository.ts';
import { AliasService } from './alias-service.ts';
import { CodeLocationSigner } from './code-location.ts';
import { DeploymentPackages } from './deployment-packages.ts';
import { FunctionChanges } from './function-changes.ts';
import { listFunctions } from './function-listing.ts';
import { FunctionRepository } from './function-repository.ts';
import { FunctionResolver } from './function-resolver.ts';
import { FunctionService } from './function-service.ts';
import { FunctionSettler } from './function-settler.ts';
import { FunctionTags } from './function-tags.ts';
import type { ConcurrencyLedger } from './ports.ts';
import { ProvisionedConcurrencyRegistry } from './provisioned-concurrency-registry.ts';
import { ProvisionedConcurrencyRepository } from './provisioned-concurrency-repository.ts';
import { ProvisionedConcurrencyService } from './provisioned-concurrency-service.ts';
import { ReservedConcurrencyService } from './reserved-concurrency-service.ts';
import type { ControlPlaneRouteDeps } from './routes/route-deps.ts';
import { VersionService } from './version-service.ts';

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

export interface ControlPlaneParts {
  readonly functions: FunctionService;
  readonly resolver: FunctionResolver;
  readonly changes: FunctionChanges;
  readonly settler: FunctionSettler;
  readonly registry: ProvisionedConcurrencyRegistry;
  readonly reservedConcurrency: ReservedConcurrencyService;
  readonly routeDeps: ControlPlaneRouteDeps;
}

export function assembleControlPlane(deps: ControlPlaneDeps): ControlPlaneParts {
  const logger = componentLogger(deps.logger, 'control-plane');
  const repository = new FunctionRepository(deps.db);
  const aliases = new AliasRepository(deps.db);
  const configs = new ProvisionedConcurrencyRepository(deps.db);
  const changes = new FunctionChanges(logger);
  const resolver = new FunctionResolver({ repository, aliases, account: deps.account, random: deps.random ?? Math.random });
  const newRevisionId = (): string => randomUUID();
  const settleDelayMs = deps.settleDelayMs ?? DEFAULT_SETTLE_DELAY_MS;
  const settler = new FunctionSettler({ repository, newRevisionId, logger, settleDelayMs, onSettled: (name) => changes.touched(name) });
  const packages = new DeploymentPackages({ codeStore: deps.codeStore, isReferenced: (sha) => repository.isCodeReferenced(sha), inspect: inspectPackage, logger });
  const common = { repository, resolver, changes, clock: deps.clock, newRevisionId };
  const versions = new VersionService({ ...common, aliases, packages, settler });
  const functions = new FunctionService({ ...common, packages, settler, versions });
  const registry = new ProvisionedConcurrencyRegistry({ repository, aliases, configs, logger });
  const reservedConcurrency = new ReservedConcurrencyService({ repository, provisioned: configs, resolver, ledger: deps.ledger });
  const provisionedConcurrency = new ProvisionedConcurrencyService({ ...common, aliases, configs, registry, ledger: deps.ledger });
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
    aliases: new AliasService({ repository, aliases, resolver, changes, newRevisionId }),
    reservedConcurrency,
    provisionedConcurrency,
    provisionedRegistry: registry,
    listFunctions: (query) => listFunctions(repository, query),
    tags: new FunctionTags(repository, resolver),
    accountSettings: () => accountSettings(repository, deps.codeStore, deps.quotas, deps.ledger.unreservedLimit()),
    signer: new CodeLocationSigner(deps.codeLocationKey, deps.clock),
    codeStore: deps.codeStore,
  };
  return { functions, resolver, changes, settler, registry, reservedConcurrency, routeDeps };
}
