/**
 * The rules of the provisioned concurrency config operations (Put, Get, Delete,
 * List) with Lambda's texts: the qualifier must name a published version or an
 * alias of one; a version cannot be provisioned both directly and through an
 * alias; the total fits in the function's reservation, or else leaves the
 * account's minimum unreserved. Configs are persisted; the counting service is
 * told each function's total; the store keeps allocation status (put starts it over).
 */
import { ApiError, errors, functionArn, type Clock } from '../shared/index.ts';
import type { FunctionResolver } from './function-resolver.ts';
import { pageOf, type Page, type PageRequest } from './paging.ts';
import type { ConcurrencyLedger } from './ports.ts';
import type { ProvisionedConcurrencyRegistry } from './provisioned-concurrency-registry.ts';
import type { ProvisionedConfigRecord, StoredProvisionedConfig } from '../model/index.ts';
import { qualifierKind } from './qualifiers.ts';
import type { Storage, Stores } from '../storage/index.ts';
import { aliasesReferencing } from './version-service.ts';
import { assertNoViolations, constraint } from '../shared/index.ts';

export interface ProvisionedConcurrencyDeps {
  readonly storage: Storage;
  readonly registry: ProvisionedConcurrencyRegistry;
  readonly resolver: FunctionResolver;
  readonly ledger: ConcurrencyLedger;
  readonly clock: Clock;
}

const UNPUBLISHED = 'Provisioned Concurrency Configs cannot be applied to unpublished function versions.';
const NOT_ALIAS_OR_VERSION = 'The function resource provided must be an alias or a published version.';

export class ProvisionedConcurrencyService {
  readonly #deps: ProvisionedConcurrencyDeps;

  constructor(deps: ProvisionedConcurrencyDeps) {
    this.#deps = deps;
  }

  /** PutProvisionedConcurrencyConfig: stored, counted, and (re)started IN_PROGRESS. */
  async put(functionName: string, qualifierParam: string | undefined, requested: number | undefined): Promise<StoredProvisionedConfig> {
    const member = 'provisionedConcurrentExecutions';
    if (requested === undefined) assertNoViolations([{ value: requested, member, constraint: constraint.notNull() }]);
    if (requested! < 1) assertNoViolations([{ value: requested, member, constraint: constraint.min(1) }]);
    const { name, qualifier } = await this.#target(functionName, qualifierParam, UNPUBLISHED);
    const record = await this.#deps.storage.transaction(async (tx) => {
      await this.#checkTarget(tx, name, qualifier, true);
      const previous = (await tx.provisioned.get(name, qualifier))?.requested ?? 0;
      const current = await tx.provisioned.total(name);
      const total = current - previous + requested!;
      await this.#checkQuota(tx, name, requested!, current, total);
      const next: ProvisionedConfigRecord = { functionName: name, qualifier, requested: requested!, lastModifiedMs: this.#deps.clock.now() };
      await tx.provisioned.put(next);
      this.#deps.ledger.setProvisioned(name, total);
      return next;
    });
    this.#deps.registry.notify();
    return { ...record, state: { status: 'IN_PROGRESS', statusReason: undefined, available: 0 } };
  }

  async get(functionName: string, qualifierParam: string | undefined): Promise<StoredProvisionedConfig> {
    const { name, qualifier } = await this.#target(functionName, qualifierParam, NOT_ALIAS_OR_VERSION);
    await this.#checkTarget(this.#deps.storage, name, qualifier, false);
    const config = await this.#deps.storage.provisioned.get(name, qualifier);
    if (config === undefined) throw new ApiError('ProvisionedConcurrencyConfigNotFoundException', 'No Provisioned Concurrency Config found for this function');
    return config;
  }

  /** DeleteProvisionedConcurrencyConfig: succeeds when there is no config, as on Lambda. */
  async delete(functionName: string, qualifierParam: string | undefined): Promise<void> {
    const { name, qualifier } = await this.#target(functionName, qualifierParam, NOT_ALIAS_OR_VERSION);
    await this.#checkTarget(this.#deps.storage, name, qualifier, false);
    if (!(await this.#deps.storage.provisioned.delete(name, qualifier))) return;
    this.#deps.ledger.setProvisioned(name, await this.#deps.storage.provisioned.total(name));
    await this.#deps.registry.refresh(name);
  }

  async list(functionName: string, page: PageRequest): Promise<Page<StoredProvisionedConfig>> {
    const name = this.#deps.resolver.unqualified(functionName);
    if ((await this.#deps.storage.functions.getFunction(name)) === undefined) throw this.#deps.resolver.notFound(name);
    return pageOf(await this.#deps.storage.provisioned.list(name), page, { keyOf: (c) => c.qualifier, cap: 50, maxItemsLimit: 50 });
  }

  /** Function name and a qualifier that is not `$LATEST` (each operation has its own text for that). */
  async #target(functionName: string, qualifierParam: string | undefined, latestMessage: string): Promise<{ name: string; qualifier: string }> {
    const target = this.#deps.resolver.parse(functionName, 'write', qualifierParam);
    if (target.qualifier === undefined) assertNoViolations([{ value: undefined, member: 'qualifier', constraint: constraint.notNull() }]);
    if (target.qualifier === '$LATEST') throw errors.invalidParameter(latestMessage);
    if ((await this.#deps.storage.functions.getFunction(target.name)) === undefined) throw this.#deps.resolver.notFound(target.name);
    return { name: target.name, qualifier: target.qualifier! };
  }

  /** The alias or version must exist; on put, an alias must point at a published version and not overlap a provisioned one. */
  async #checkTarget(stores: Stores, name: string, qualifier: string, forPut: boolean): Promise<void> {
    if (qualifierKind(qualifier) === 'alias') {
      const alias = await stores.aliases.get(name, qualifier);
      if (alias === undefined) throw errors.notFound(`Cannot find alias arn: ${functionArn(this.#deps.resolver.account, name, qualifier)}`);
      if (!forPut) return;
      if (alias.functionVersion === '$LATEST') throw errors.invalidParameter(UNPUBLISHED);
      if ((await stores.provisioned.get(name, alias.functionVersion)) !== undefined) {
        throw errors.conflict("Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version");
      }
      return;
    }
    if ((await stores.functions.getVersion(name, qualifier)) === undefined) throw this.#deps.resolver.notFound(name, qualifier);
    if (!forPut) return;
    for (const alias of await aliasesReferencing(stores.aliases, name, qualifier)) {
      if ((await stores.provisioned.get(name, alias)) !== undefined) throw errors.conflict('Version is pointed by a Provisioned Concurrency alias');
    }
  }

  /** Within the reservation when there is one; else the account keeps its minimum unreserved. */
  async #checkQuota(stores: Stores, name: string, requested: number, currentTotal: number, total: number): Promise<void> {
    const reserved = (await stores.functions.getFunction(name))?.reservedConcurrency;
    if (reserved !== undefined) {
      if (total > reserved) throw errors.invalidParameter('Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function');
      return;
    }
    const { accountLimit, minUnreserved } = this.#deps.ledger.limits;
    if (requested > accountLimit) throw errors.invalidParameter(`Specified ConcurrentExecutions for function is greater than account's unreserved concurrency [${accountLimit}].`);
    const unreservedAfter = this.#deps.ledger.unreservedLimit() + currentTotal - total;
    if (unreservedAfter < minUnreserved) {
      throw errors.invalidParameter(`Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${minUnreserved}].`);
    }
  }
}
