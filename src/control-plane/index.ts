/**
 * Control plane: Lambda's management operations on functions (create, read,
 * list, update code and configuration, delete), published versions, aliases,
 * reserved and provisioned concurrency, tags and account settings, over the
 * storage ports and the code store. Routes translate the wire into typed
 * commands; the services hold the rules; the stores persist.
 *
 * For the data plane:
 * - `resolver.resolve(functionName, qualifier)` gives the FunctionVersionConfig an
 *   invoke runs (the front end's FunctionResolver port), through alias weights;
 *   the package is `codeStore.get(config.codeSha256Hex)`.
 * - `onFunctionChanged(listener)` reports `$LATEST` updates and deleted versions
 *   and functions, made by any process sharing the storage (the worker manager
 *   retires stale sandboxes).
 * - `provisioned` lists what provisioned concurrency wants initialised and takes
 *   back its status (`markReady` / `markFailed` / `markInProgress`), stored for every front end.
 * - `policies.policyOf(functionName, qualifier)` reads the resource-based policy of a function,
 *   version or alias (AddPermission's statements), and `allowsInvoke(policy, request)` decides
 *   whether it lets a caller invoke (function URLs: docs/policies.md).
 */
import type { FastifyInstance } from '../api/index.ts';
import { assembleControlPlane, type ControlPlaneDeps } from './control-plane-assembly.ts';
import type { FunctionChangeListener } from './function-changes.ts';
import type { FunctionResolver } from './function-resolver.ts';
import type { FunctionService } from './function-service.ts';
import type { PolicyDocument } from './policy-statement.ts';
import type { ProvisionedAllocation } from './provisioned-concurrency-registry.ts';
import { registerRoutes } from './routes/register-routes.ts';

export { type FunctionRecord } from '../model/index.ts';
export { FunctionResolver, type QualifiedName } from './function-resolver.ts';
export { FunctionService } from './function-service.ts';
export { renderFunctionConfiguration } from './function-view.ts';
export { allowsInvoke, type InvokeAction, type InvokeAuthorization, type InvokePrincipal } from './policy-evaluation.ts';
export type { PolicyDocument } from './policy-statement.ts';
export type { PolicyStatement } from '../model/index.ts';
export { SUPPORTED_RUNTIMES } from './function-validation.ts';
export type { AccountQuotas } from './account-settings.ts';
export type { ConcurrencyLedger } from './ports.ts';
export type { FunctionChange, FunctionChangeKind, FunctionChangeListener } from './function-changes.ts';
export type { ProvisionedAllocation, ProvisionedStatus } from './provisioned-concurrency-registry.ts';

export { DEFAULT_SETTLE_DELAY_MS, type ControlPlaneDeps } from './control-plane-assembly.ts';

/** What the data plane's worker manager uses to keep provisioned sandboxes initialised. */
export interface ProvisionedConcurrency {
  /** Every config with the versions to keep initialised and how many sandboxes each. */
  allocations(): Promise<ProvisionedAllocation[]>;
  /** Fires when allocations may have changed; call `allocations()` again. Returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
  /**
   * The config's sandboxes are initialised: Status READY, Available = Requested. Each mark names
   * the lastModifiedMs of the allocation acted on, and changes nothing if the config was put again since.
   */
  markReady(functionName: string, qualifier: string, seenLastModifiedMs: number): Promise<void>;
  /** The config cannot be allocated: Status FAILED with the reason. */
  markFailed(functionName: string, qualifier: string, seenLastModifiedMs: number, reason: string): Promise<void>;
  /** Its sandboxes are being started over (another front end took the config over): Status IN_PROGRESS. */
  markInProgress(functionName: string, qualifier: string, seenLastModifiedMs: number): Promise<void>;
}

/** Reads resource-based policies (for callers that enforce them, such as function URLs). */
export interface ResourcePolicies {
  /**
   * The policy of a function by plain name: unqualified (or `$LATEST`), a published version or an
   * alias. Undefined when it has none (nothing is allowed then).
   */
  policyOf(functionName: string, qualifier?: string): Promise<PolicyDocument | undefined>;
}

export interface ControlPlane {
  readonly functions: FunctionService;
  /** Resolves FunctionName + Qualifier to the version that runs (front-end port). */
  readonly resolver: FunctionResolver;
  readonly provisioned: ProvisionedConcurrency;
  readonly policies: ResourcePolicies;
  /** Subscribes to `$LATEST` updates and version / function deletions. Returns the unsubscribe function. */
  onFunctionChanged(listener: FunctionChangeListener): () => void;
  /** Adds the control-plane routes to the API server (before it listens). */
  register(app: FastifyInstance): void;
  /** Settles versions a previous process left Pending / InProgress (and from then on those another front end left); loads reservations into the counting service. */
  start(): Promise<void>;
  /** Cancels pending state transitions and stops hearing the change feed. Idempotent. */
  stop(): void;
}

export function createControlPlane(deps: ControlPlaneDeps): ControlPlane {
  const { functions, resolver, changes, settler, registry, reservedConcurrency, policies, routeDeps } = assembleControlPlane(deps);
  return {
    functions,
    resolver,
    provisioned: {
      allocations: () => registry.allocations(),
      onChange: (listener) => registry.onChange(listener),
      markReady: (name, qualifier, seen) => registry.markReady(name, qualifier, seen),
      markFailed: (name, qualifier, seen, reason) => registry.markFailed(name, qualifier, seen, reason),
      markInProgress: (name, qualifier, seen) => registry.markInProgress(name, qualifier, seen),
    },
    policies: { policyOf: (name, qualifier) => policies.policyOf(name, qualifier) },
    onFunctionChanged: (listener) => changes.onFunctionChanged(listener),
    register: (app) => registerRoutes(app, routeDeps),
    start: async () => {
      await settler.recover();
      settler.startSweeping();
      await reservedConcurrency.restore();
    },
    stop: () => {
      settler.stop();
      changes.stop();
    },
  };
}
