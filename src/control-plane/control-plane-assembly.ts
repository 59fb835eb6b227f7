/**
 * Builds the control plane's parts from its dependencies: stores, the resolver,
 * the services, and the subscriptions that keep the resolver's cache, the
 * counting service and the provisioned concurrency registry in step with writes.
 */
import { randomUUID } from 'node:crypto';
import { MAX_UNZIPPED_BYTES, inspectPackage, type CodeStore } from '../code-store/index.ts';
import { componentLogger, type Account, type Clock, type Logger } from '../shared/index.ts';
import { accountSettings, type AccountQuotas } from './account-settings.ts';
import { AliasService } from './alias-service.ts';
import { CodeLocationSigner } from './code-location.ts';
import { DeploymentPackages } from './deployment-packages.ts';
import { FunctionChanges } from './function-changes.ts';
import { listFunctions } from './function-listing.ts';
import { FunctionResolver } from './function-resolver.ts';
import { FunctionService } from './function-service.ts';
import { FunctionSettler } from './function-settler.ts';
import { FunctionTags } from './function-tags.ts';
import { LayerService } from './layer-service.ts';
import { PolicyService } from './policy-service.ts';
import type { ConcurrencyLedger } from './ports.ts';
import { ProvisionedConcurrencyRegistry } from './provisioned-concurrency-registry.ts';
import { ProvisionedConcurrencyService } from './provisioned-concurrency-service.ts';
import { ReservedConcurrencyService } from './reserved-concurrency-service.ts';
import type { ControlPlaneRouteDeps } from './routes/route-deps.ts';
import { VersionService } from './version-service.ts';
import type { Storage } from '../storage/index.ts';

/** How long a version stays Pending / InProgress after a write before it settles. */
export const DEFAULT_SETTLE_DELAY_MS = 250;

export interface ControlPlaneDeps {
  /** Every store, and the change feed that carries writes to every process sharing them. */
  readonly storage: Storage;
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
  readonly policies: PolicyService;
  readonly routeDeps: ControlPlaneRouteDeps;
}

export function assembleControlPlane(deps: ControlPlaneDeps): ControlPlaneParts {
  const logger = componentLogger(deps.logger, 'control-plane');
  const { storage } = deps;
  const changes = new FunctionChanges(storage.changes, logger);
  const resolver = new FunctionResolver({ functions: storage.functions, aliases: storage.aliases, account: deps.account, random: deps.random ?? Math.random });
  const newRevisionId = (): string => randomUUID();
  const settleDelayMs = deps.settleDelayMs ?? DEFAULT_SETTLE_DELAY_MS;
  const settler = new FunctionSettler({ functions: storage.functions, newRevisionId, logger, settleDelayMs, clock: deps.clock, onSettled: (name) => changes.touched(name) });
  // A package stays while a function version (as its code or a layer) or a layer version holds it.
  const isReferenced = async (sha: string): Promise<boolean> => (await storage.functions.isCodeReferenced(sha)) || storage.layers.isCodeReferenced(sha);
  const packages = new DeploymentPackages({ codeStore: deps.codeStore, isReferenced, inspect: inspectPackage, logger });
  const common = { resolver, changes, clock: deps.clock, newRevisionId };
  const layers = new LayerService({ layers: storage.layers, packages, account: deps.account, clock: deps.clock, newRevisionId, maxUnzippedBytes: MAX_UNZIPPED_BYTES });
  const versions = new VersionService({ ...common, storage, packages, settler });
  const functions = new FunctionService({ ...common, functions: storage.functions, packages, settler, versions, layers });
  const registry = new ProvisionedConcurrencyRegistry({ stores: storage, logger });
  const reservedConcurrency = new ReservedConcurrencyService({ functions: storage.functions, provisioned: storage.provisioned, resolver, ledger: deps.ledger, changes });
  const provisionedConcurrency = new ProvisionedConcurrencyService({ ...common, storage, registry, ledger: deps.ledger });
  const policies = new PolicyService({ storage, resolver, changes, newRevisionId });
  // Every process sharing the storage hears every change: its resolver cache, counting ledger and registry follow.
  changes.onTouched(async (name) => {
    resolver.invalidate(name);
    policies.invalidate(name);
    deps.ledger.setProvisioned(name, await storage.provisioned.total(name));
    await reservedConcurrency.reload(name);
    await registry.refresh(name);
  });
  changes.onFunctionChanged((change) => {
    if (change.kind === 'function-deleted') reservedConcurrency.forget(change.functionName);
  });
  const routeDeps: ControlPlaneRouteDeps = {
    account: deps.account,
    functions,
    versions,
    layers,
    aliases: new AliasService({ storage, resolver, changes, newRevisionId }),
    policies,
    reservedConcurrency,
    provisionedConcurrency,
    provisionedRegistry: registry,
    listFunctions: (query) => listFunctions(storage.functions, query),
    tags: new FunctionTags(storage.functions, resolver),
    accountSettings: () => accountSettings(storage.functions, deps.codeStore, deps.quotas, deps.ledger.unreservedLimit()),
    signer: new CodeLocationSigner(deps.codeLocationKey, deps.clock),
    codeStore: deps.codeStore,
  };
  return { functions, resolver, changes, settler, registry, reservedConcurrency, policies, routeDeps };
}
