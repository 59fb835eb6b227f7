/**
 * The rules of the provisioned concurrency config operations (Put, Get, Delete,
 * List) with Lambda's texts: the qualifier must name a published version or an
 * alias of one; a version cannot be provisioned both directly and through an
 * alias; the total fits in the function's reservation, or else leaves the
 * account's minimum unreserved. Configs are persisted; the counting service is
 * told each function's total; the registry tracks allocation status.
 */
import { ApiError, errors, functionArn, type Clock } from '../shared/index.ts';
import type { AliasRepository } from './alias-repository.ts';
import type { FunctionRepository } from './function-repository.ts';
import type { FunctionResolver } from './function-resolver.ts';
import { pageOf, type Page, type PageRequest } from './paging.ts';
import type { ConcurrencyLedger } from './ports.ts';
import type { ProvisionedConcurrencyRegistry } from './provisioned-concurrency-registry.ts';
import type { ProvisionedConcurrencyRepository } from './provisioned-concurrency-repository.ts';
import type { ProvisionedConfigRecord } from '../model/index.ts';
import { qualifierKind } from './qualifiers.ts';
import { assertNoViolations, constraint } from './validation-message.ts';

export interface ProvisionedConcurrencyDeps {
  readonly repository: FunctionRepository;
  readonly aliases: AliasRepository;
  readonly configs: ProvisionedConcurrencyRepository;
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
  put(functionName: string, qualifierParam: string | undefined, requested: number | undefined): ProvisionedConfigRecord {
    const member = 'provisionedConcurrentExecutions';
    if (requested === undefined) assertNoViolations([{ value: requested, member, constraint: constraint.notNull() }]);
    if (requested! < 1) assertNoViolations([{ value: requested, member, constraint: constraint.min(1) }]);
    const { name, qualifier } = this.#target(functionName, qualifierParam, UNPUBLISHED);
    const record = this.#deps.repository.atomically(() => {
      this.#checkTarget(name, qualifier, true);
      const previous = this.#deps.configs.get(name, qualifier)?.requested ?? 0;
      const total = this.#deps.configs.total(name) - previous + requested!;
      this.#checkQuota(name, requested!, total);
      const next: ProvisionedConfigRecord = { functionName: name, qualifier, requested: requested!, lastModifiedMs: this.#deps.clock.now() };
      this.#deps.configs.put(next);
      this.#deps.ledger.setProvisioned(name, total);
      return next;
    });
    this.#deps.registry.restart(name, qualifier);
    this.#deps.registry.notify();
    return record;
  }

  get(functionName: string, qualifierParam: string | undefined): ProvisionedConfigRecord {
    const { name, qualifier } = this.#target(functionName, qualifierParam, NOT_ALIAS_OR_VERSION);
    this.#checkTarget(name, qualifier, false);
    const config = this.#deps.configs.get(name, qualifier);
    if (config === undefined) throw new ApiError('ProvisionedConcurrencyConfigNotFoundException', 'No Provisioned Concurrency Config found for this function');
    return config;
  }

  /** DeleteProvisionedConcurrencyConfig: succeeds when there is no config, as on Lambda. */
  delete(functionName: string, qualifierParam: string | undefined): void {
    const { name, qualifier } = this.#target(functionName, qualifierParam, NOT_ALIAS_OR_VERSION);
    this.#checkTarget(name, qualifier, false);
    if (!this.#deps.configs.delete(name, qualifier)) return;
    this.#deps.ledger.setProvisioned(name, this.#deps.configs.total(name));
    this.#deps.registry.refresh(name);
  }

  list(functionName: string, page: PageRequest): Page<ProvisionedConfigRecord> {
    const name = this.#deps.resolver.unqualified(functionName);
    if (this.#deps.repository.getFunction(name) === undefined) throw this.#deps.resolver.notFound(name);
    return pageOf(this.#deps.configs.list(name), page, { keyOf: (c) => c.qualifier, cap: 50, maxItemsLimit: 50 });
  }

  /** Function name and a qualifier that is not `$LATEST` (each operation has its own text for that). */
  #target(functionName: string, qualifierParam: string | undefined, latestMessage: string): { name: string; qualifier: string } {
    const target = this.#deps.resolver.parse(functionName, 'write', qualifierParam);
    if (target.qualifier === undefined) assertNoViolations([{ value: undefined, member: 'qualifier', constraint: constraint.notNull() }]);
    if (target.qualifier === '$LATEST') throw errors.invalidParameter(latestMessage);
    if (this.#deps.repository.getFunction(target.name) === undefined) throw this.#deps.resolver.notFound(target.name);
    return { name: target.name, qualifier: target.qualifier! };
  }

  /** The alias or version must exist; on put, an alias must point at a published version and not overlap a provisioned one. */
  #checkTarget(name: string, qualifier: string, forPut: boolean): void {
    if (qualifierKind(qualifier) === 'alias') {
      const alias = this.#deps.aliases.get(name, qualifier);
      if (alias === undefined) throw errors.notFound(`Cannot find alias arn: ${functionArn(this.#deps.resolver.account, name, qualifier)}`);
      if (!forPut) return;
      if (alias.functionVersion === '$LATEST') throw errors.invalidParameter(UNPUBLISHED);
      if (this.#deps.configs.get(name, alias.functionVersion) !== undefined) {
        throw errors.conflict("Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version");
      }
      return;
    }
    if (this.#deps.repository.getVersion(name, qualifier) === undefined) throw this.#deps.resolver.notFound(name, qualifier);
    if (forPut && this.#deps.aliases.referencing(name, qualifier).some((a) => this.#deps.configs.get(name, a) !== undefined)) {
      throw errors.conflict('Version is pointed by a Provisioned Concurrency alias');
    }
  }

  /** Within the reservation when there is one; else the account keeps its minimum unreserved. */
  #checkQuota(name: string, requested: number, total: number): void {
    const reserved = this.#deps.repository.getFunction(name)?.reservedConcurrency;
    if (reserved !== undefined) {
      if (total > reserved) throw errors.invalidParameter('Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function');
      return;
    }
    const { accountLimit, minUnreserved } = this.#deps.ledger.limits;
    if (requested > accountLimit) throw errors.invalidParameter(`Specified ConcurrentExecutions for function is greater than account's unreserved concurrency [${accountLimit}].`);
    const unreservedAfter = this.#deps.ledger.unreservedLimit() + this.#deps.configs.total(name) - total;
    if (unreservedAfter < minUnreserved) {
      throw errors.invalidParameter(`Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${minUnreserved}].`);
    }
  }
}
