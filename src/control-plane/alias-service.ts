/**
 * The rules of the alias operations: CreateAlias, GetAlias, UpdateAlias,
 * DeleteAlias and ListAliases, with Lambda's validation order (model
 * constraints, then routing rules, then existence) and RevisionId on aliases.
 */
import { errors, functionArn } from '../shared/index.ts';
import type { CreateAliasCommand, ListAliasesQuery, UpdateAliasCommand } from './alias-commands.ts';
import type { AliasRecord } from '../model/index.ts';
import { aliasNameViolations, aliasVersionViolations, checkRouting, descriptionViolations, parseWeights, type AdditionalVersion } from './alias-validation.ts';
import type { FunctionChanges } from './function-changes.ts';
import type { FunctionStore, Storage } from '../storage/index.ts';
import type { FunctionResolver } from './function-resolver.ts';
import { pageOf, type Page } from './paging.ts';
import { checkRevision } from './revision.ts';
import { assertNoViolations } from '../shared/index.ts';

export interface AliasServiceDeps {
  readonly storage: Storage;
  readonly resolver: FunctionResolver;
  readonly changes: FunctionChanges;
  readonly newRevisionId: () => string;
}

export class AliasService {
  readonly #deps: AliasServiceDeps;

  constructor(deps: AliasServiceDeps) {
    this.#deps = deps;
  }

  async create(cmd: CreateAliasCommand): Promise<AliasRecord> {
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
    await this.#deps.storage.transaction(async (tx) => {
      await this.#checkTargets(tx.functions, fn, record.functionVersion, record.additional);
      if (!(await tx.aliases.insert(record))) throw errors.conflict(`Alias already exists: ${this.#aliasArn(fn, record.name)}`);
    });
    await this.#deps.changes.touched(fn);
    return record;
  }

  async get(functionName: string, name: string): Promise<AliasRecord> {
    const fn = await this.#existingFunction(functionName, name);
    const alias = await this.#deps.storage.aliases.get(fn, name);
    if (alias === undefined) throw errors.notFound(`Cannot find alias arn: ${this.#aliasArn(fn, name)}`);
    return alias;
  }

  /** Members given replace the alias's; `RoutingConfig` given (even `{}`) replaces its routing. Always a new RevisionId. */
  async update(cmd: UpdateAliasCommand): Promise<AliasRecord> {
    const fn = this.#deps.resolver.unqualified(cmd.functionName);
    const routing = parseWeights(cmd.weights);
    assertNoViolations([
      ...aliasNameViolations(cmd.name),
      ...aliasVersionViolations(cmd.functionVersion, false),
      ...descriptionViolations(cmd.description),
      ...routing.violations,
    ]);
    const updated = await this.#deps.storage.transaction(async (tx) => {
      if ((await tx.functions.getFunction(fn)) === undefined) throw this.#deps.resolver.notFound(fn);
      const current = await tx.aliases.get(fn, cmd.name);
      if (current === undefined) throw errors.notFound(`Alias not found: ${this.#aliasArn(fn, cmd.name)}`);
      checkRevision(current, cmd.revisionId);
      const next: AliasRecord = {
        ...current,
        functionVersion: cmd.functionVersion ?? current.functionVersion,
        description: cmd.description ?? current.description,
        additional: cmd.weights !== undefined ? routing.additional : current.additional,
        revisionId: this.#deps.newRevisionId(),
      };
      await this.#checkTargets(tx.functions, fn, next.functionVersion, next.additional);
      await tx.aliases.update(next);
      return next;
    });
    await this.#deps.changes.touched(fn);
    return updated;
  }

  /** DeleteAlias: also deletes the alias's provisioned concurrency config. Deleting an absent alias succeeds, as on Lambda. */
  async delete(functionName: string, name: string): Promise<void> {
    const fn = await this.#existingFunction(functionName, name);
    if (await this.#deps.storage.aliases.delete(fn, name)) await this.#deps.changes.touched(fn);
  }

  async list(query: ListAliasesQuery): Promise<Page<AliasRecord>> {
    assertNoViolations(aliasVersionViolations(query.functionVersion, false));
    const fn = this.#deps.resolver.unqualified(query.functionName);
    if ((await this.#deps.storage.functions.getFunction(fn)) === undefined) throw this.#deps.resolver.notFound(fn);
    const aliases = (await this.#deps.storage.aliases.list(fn)).filter((a) => query.functionVersion === undefined || a.functionVersion === query.functionVersion);
    return pageOf(aliases, query, { keyOf: (a) => a.name, cap: 50, maxItemsLimit: 10000 });
  }

  async #existingFunction(functionName: string, aliasName: string): Promise<string> {
    const fn = this.#deps.resolver.unqualified(functionName);
    assertNoViolations(aliasNameViolations(aliasName));
    if ((await this.#deps.storage.functions.getFunction(fn)) === undefined) throw this.#deps.resolver.notFound(fn);
    return fn;
  }

  /** Routing rules, then the versions the alias would route to must exist. */
  async #checkTargets(functions: FunctionStore, fn: string, primary: string, additional: AdditionalVersion | undefined): Promise<void> {
    checkRouting(primary, additional);
    if ((await functions.getVersion(fn, primary)) === undefined) throw this.#deps.resolver.notFound(fn, primary);
    if (additional !== undefined && (await functions.getVersion(fn, additional.version)) === undefined) {
      throw this.#deps.resolver.notFound(fn, additional.version);
    }
  }

  #aliasArn(fn: string, name: string): string {
    return functionArn(this.#deps.resolver.account, fn, name);
  }
}
