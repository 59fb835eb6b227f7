/**
 * The rules of the alias operations: CreateAlias, GetAlias, UpdateAlias,
 * DeleteAlias and ListAliases, with Lambda's validation order (model
 * constraints, then routing rules, then existence) and RevisionId on aliases.
 */
import { errors, functionArn } from '../shared/index.ts';
import type { CreateAliasCommand, ListAliasesQuery, UpdateAliasCommand } from './alias-commands.ts';
import type { AliasRepository } from './alias-repository.ts';
import type { AliasRecord } from '../model/index.ts';
import { aliasNameViolations, aliasVersionViolations, checkRouting, descriptionViolations, parseWeights, type AdditionalVersion } from './alias-validation.ts';
import type { FunctionChanges } from './function-changes.ts';
import type { FunctionRepository } from './function-repository.ts';
import type { FunctionResolver } from './function-resolver.ts';
import { pageOf, type Page } from './paging.ts';
import { checkRevision } from './revision.ts';
import { assertNoViolations } from './validation-message.ts';

export interface AliasServiceDeps {
  readonly repository: FunctionRepository;
  readonly aliases: AliasRepository;
  readonly resolver: FunctionResolver;
  readonly changes: FunctionChanges;
  readonly newRevisionId: () => string;
}

export class AliasService {
  readonly #deps: AliasServiceDeps;

  constructor(deps: AliasServiceDeps) {
    this.#deps = deps;
  }

  create(cmd: CreateAliasCommand): AliasRecord {
    const fn = this.#deps.resolver.unqualified(cmd.functionName);
    const routing = parseWeights(cmd.weights);
    assertNoViolations([
      ...aliasNameViolations(cmd.name),
      ...aliasVersionViolations(cmd.functionVersion, true),
      ...descriptionViolations(cmd.description),
      ...routing.violations,
    ]);
    const record: AliasRecord = {
      functionName: fn,
      name: cmd.name!,
      functionVersion: cmd.functionVersion!,
      description: cmd.description ?? '',
      additional: routing.additional,
      revisionId: this.#deps.newRevisionId(),
    };
    this.#deps.repository.atomically(() => {
      this.#checkTargets(fn, record.functionVersion, record.additional);
      if (!this.#deps.aliases.insert(record)) throw errors.conflict(`Alias already exists: ${this.#aliasArn(fn, record.name)}`);
    });
    this.#deps.changes.touched(fn);
    return record;
  }

  get(functionName: string, name: string): AliasRecord {
    const fn = this.#existingFunction(functionName, name);
    const alias = this.#deps.aliases.get(fn, name);
    if (alias === undefined) throw errors.notFound(`Cannot find alias arn: ${this.#aliasArn(fn, name)}`);
    return alias;
  }

  /** Members given replace the alias's; `RoutingConfig` given (even `{}`) replaces its routing. Always a new RevisionId. */
  update(cmd: UpdateAliasCommand): AliasRecord {
    const fn = this.#deps.resolver.unqualified(cmd.functionName);
    const routing = parseWeights(cmd.weights);
    assertNoViolations([
      ...aliasNameViolations(cmd.name),
      ...aliasVersionViolations(cmd.functionVersion, false),
      ...descriptionViolations(cmd.description),
      ...routing.violations,
    ]);
    const updated = this.#deps.repository.atomically(() => {
      if (this.#deps.repository.getFunction(fn) === undefined) throw this.#deps.resolver.notFound(fn);
      const current = this.#deps.aliases.get(fn, cmd.name);
      if (current === undefined) throw errors.notFound(`Alias not found: ${this.#aliasArn(fn, cmd.name)}`);
      checkRevision(current, cmd.revisionId);
      const next: AliasRecord = {
        ...current,
        functionVersion: cmd.functionVersion ?? current.functionVersion,
        description: cmd.description ?? current.description,
        additional: cmd.weights !== undefined ? routing.additional : current.additional,
        revisionId: this.#deps.newRevisionId(),
      };
      this.#checkTargets(fn, next.functionVersion, next.additional);
      this.#deps.aliases.update(next);
      return next;
    });
    this.#deps.changes.touched(fn);
    return updated;
  }

  /** DeleteAlias: also deletes the alias's provisioned concurrency config. Deleting an absent alias succeeds, as on Lambda. */
  delete(functionName: string, name: string): void {
    const fn = this.#existingFunction(functionName, name);
    if (this.#deps.aliases.delete(fn, name)) this.#deps.changes.touched(fn);
  }

  list(query: ListAliasesQuery): Page<AliasRecord> {
    assertNoViolations(aliasVersionViolations(query.functionVersion, false));
    const fn = this.#deps.resolver.unqualified(query.functionName);
    if (this.#deps.repository.getFunction(fn) === undefined) throw this.#deps.resolver.notFound(fn);
    const aliases = this.#deps.aliases.list(fn).filter((a) => query.functionVersion === undefined || a.functionVersion === query.functionVersion);
    return pageOf(aliases, query, { keyOf: (a) => a.name, cap: 50, maxItemsLimit: 10000 });
  }

  #existingFunction(functionName: string, aliasName: string): string {
    const fn = this.#deps.resolver.unqualified(functionName);
    assertNoViolations(aliasNameViolations(aliasName));
    if (this.#deps.repository.getFunction(fn) === undefined) throw this.#deps.resolver.notFound(fn);
    return fn;
  }

  /** Routing rules, then the versions the alias would route to must exist. */
  #checkTargets(fn: string, primary: string, additional: AdditionalVersion | undefined): void {
    checkRouting(primary, additional);
    if (this.#deps.repository.getVersion(fn, primary) === undefined) throw this.#deps.resolver.notFound(fn, primary);
    if (additional !== undefined && this.#deps.repository.getVersion(fn, additional.version) === undefined) {
      throw this.#deps.resolver.notFound(fn, additional.version);
    }
  }

  #aliasArn(fn: string, name: string): string {
    return functionArn(this.#deps.resolver.account, fn, name);
  }
}
