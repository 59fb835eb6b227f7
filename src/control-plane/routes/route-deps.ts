/** What the control-plane routes are given: the services that hold the rules, and the account for rendering. */
import type { Account } from '../../shared/index.ts';
import type { CodeStore } from '../../code-store/index.ts';
import type { AccountSettings } from '../account-settings.ts';
import type { AliasService } from '../alias-service.ts';
import type { CodeLocationSigner } from '../code-location.ts';
import type { FunctionPage } from '../function-listing.ts';
import type { ListFunctionsQuery } from '../function-commands.ts';
import type { FunctionService } from '../function-service.ts';
import type { FunctionTags } from '../function-tags.ts';
import type { LayerService } from '../layer-service.ts';
import type { PolicyService } from '../policy-service.ts';
import type { ProvisionedConcurrencyRegistry } from '../provisioned-concurrency-registry.ts';
import type { ProvisionedConcurrencyService } from '../provisioned-concurrency-service.ts';
import type { ReservedConcurrencyService } from '../reserved-concurrency-service.ts';
import type { VersionService } from '../version-service.ts';

export interface ControlPlaneRouteDeps {
  readonly account: Account;
  readonly functions: FunctionService;
  readonly versions: VersionService;
  readonly layers: LayerService;
  readonly aliases: AliasService;
  readonly policies: PolicyService;
  readonly reservedConcurrency: ReservedConcurrencyService;
  readonly provisionedConcurrency: ProvisionedConcurrencyService;
  readonly provisionedRegistry: ProvisionedConcurrencyRegistry;
  readonly listFunctions: (query: ListFunctionsQuery) => Promise<FunctionPage>;
  readonly tags: FunctionTags;
  readonly accountSettings: () => Promise<AccountSettings>;
  readonly signer: CodeLocationSigner;
  readonly codeStore: CodeStore;
}
