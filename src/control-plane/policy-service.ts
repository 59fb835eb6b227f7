/**
 * The rules of AddPermission, RemovePermission and GetPolicy: one resource-based policy per
 * function (unqualified: kept under `$LATEST`), published version or alias, with Lambda's
 * validation order and texts. A policy's RevisionId is the RevisionId of the version or alias it
 * belongs to, as on Lambda: a RevisionId given must match it (412 otherwise), and every change
 * of the policy gives the version or alias a new one.
 */
import { LATEST, type PolicyStatement } from '../model/index.ts';
import { ApiError, errors, functionArn } from '../shared/index.ts';
import type { Stores, Storage } from '../storage/index.ts';
import type { FunctionChanges } from './function-changes.ts';
import type { FunctionResolver } from './function-resolver.ts';
import { buildStatement, policyDocument, type PermissionGrant, type PolicyDocument } from './policy-statement.ts';
import { addPermissionViolations, removeStatementIdViolations, type FunctionUrlAuthType, type PermissionMembers } from './policy-validation.ts';
import { qualifierKind } from './qualifiers.ts';
import { checkRevision } from './revision.ts';
import { assertNoViolations } from '../shared/index.ts';

export interface AddPermissionCommand extends PermissionMembers {
  readonly functionName: string;
  readonly qualifier?: string | undefined;
  readonly invokedViaFunctionUrl?: boolean | undefined;
  readonly revisionId?: string | undefined;
}

export interface RemovePermissionCommand {
  readonly functionName: string;
  readonly statementId: string;
  readonly qualifier?: string | undefined;
  readonly revisionId?: string | undefined;
}

/** GetPolicy's answer: the document and the RevisionId of the version or alias it belongs to. */
export interface PolicyView {
  readonly policy: PolicyDocument;
  readonly revisionId: string;
}

export const LATEST_POLICY_MESSAGE = 'We currently do not support adding policies for $LATEST.';
export const NO_POLICY_MESSAGE = 'The resource you requested does not exist.';

/** Lambda's limit on a resource-based policy (20 KB), measured here as the UTF-8 bytes of the document GetPolicy answers. */
export const MAX_POLICY_BYTES = 20_480;

export interface PolicyServiceDeps {
  readonly storage: Storage;
  readonly resolver: FunctionResolver;
  readonly changes: FunctionChanges;
  readonly newRevisionId: () => string;
}

/** A version or alias a policy belongs to, and its current RevisionId. */
interface PolicyOwner {
  readonly revisionId: string;
  /**
   * Checks the RevisionId given (412) and gives the owner a new one, inside the caller's transaction.
   * A version's row is locked while it is checked and stays locked until the transaction ends, so
   * policy writers of one version (and of `$LATEST`) on any front end take turns.
   */
  readonly renew: (given: string | undefined, next: string) => Promise<void>;
}

export class PolicyService {
  readonly #deps: PolicyServiceDeps;
  /** policyOf's answers per function then qualifier, dropped on every change heard about the function. */
  readonly #cache = new Map<string, Map<string, PolicyDocument | undefined>>();
  /** Bumped by every invalidation: a policy read while one happened is not kept. */
  #generation = 0;

  constructor(deps: PolicyServiceDeps) {
    this.#deps = deps;
  }

  /** AddPermission: the statement added. */
  async add(cmd: AddPermissionCommand): Promise<PolicyStatement> {
    const target = this.#deps.resolver.parse(cmd.functionName, 'write', cmd.qualifier);
    assertNoViolations(addPermissionViolations(cmd));
    if (target.qualifier === LATEST) throw errors.invalidParameter(LATEST_POLICY_MESSAGE);
    const key = target.qualifier ?? LATEST;
    const grant: PermissionGrant = {
      ...cmd,
      statementId: cmd.statementId!,
      action: cmd.action!,
      principal: cmd.principal!,
      functionUrlAuthType: cmd.functionUrlAuthType as FunctionUrlAuthType | undefined,
    };
    const statement = await this.#deps.storage.transaction(async (tx) => {
      const owner = await this.#owner(tx, target.name, target.qualifier);
      await owner.renew(cmd.revisionId, this.#deps.newRevisionId());
      const statements = (await tx.policies.get(target.name, key))?.statements ?? [];
      if (statements.some((s) => s.Sid === grant.statementId)) {
        throw errors.conflict(`The statement id (${grant.statementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`);
      }
      const added = buildStatement(grant, functionArn(this.#deps.resolver.account, target.name, target.qualifier));
      const size = Buffer.byteLength(JSON.stringify(policyDocument([...statements, added])));
      if (size > MAX_POLICY_BYTES) throw new ApiError('PolicyLengthExceededException', `The final policy size (${size}) is bigger than the limit (${MAX_POLICY_BYTES}).`);
      await tx.policies.put(target.name, key, [...statements, added]);
      return added;
    });
    await this.#deps.changes.touched(target.name);
    return statement;
  }

  /** RemovePermission. */
  async remove(cmd: RemovePermissionCommand): Promise<void> {
    const target = this.#deps.resolver.parse(cmd.functionName, 'write', cmd.qualifier);
    assertNoViolations(removeStatementIdViolations(cmd.statementId));
    const key = target.qualifier ?? LATEST;
    await this.#deps.storage.transaction(async (tx) => {
      if ((await tx.functions.getFunction(target.name)) === undefined) {
        throw errors.notFound(`No policy found for: ${functionArn(this.#deps.resolver.account, target.name)}`);
      }
      const owner = await this.#owner(tx, target.name, target.qualifier);
      const statementsNow = async () => {
        const policy = await tx.policies.get(target.name, key);
        if (policy === undefined) throw errors.notFound('No policy is associated with the given resource.');
        if (!policy.statements.some((s) => s.Sid === cmd.statementId)) throw errors.notFound(`Statement ${cmd.statementId} is not found in resource policy.`);
        return policy.statements;
      };
      await statementsNow();
      await owner.renew(cmd.revisionId, this.#deps.newRevisionId());
      // Read again now that the owner is locked: another writer may have changed the policy meanwhile.
      await tx.policies.put(target.name, key, (await statementsNow()).filter((s) => s.Sid !== cmd.statementId));
    });
    await this.#deps.changes.touched(target.name);
  }

  /** GetPolicy. */
  async get(functionName: string, qualifier: string | undefined): Promise<PolicyView> {
    const target = this.#deps.resolver.parse(functionName, 'read', qualifier);
    const stores = this.#deps.storage;
    if ((await stores.functions.getFunction(target.name)) === undefined) throw this.#deps.resolver.notFound(target.name);
    const policy = await stores.policies.get(target.name, target.qualifier ?? LATEST);
    if (policy === undefined) throw errors.notFound(NO_POLICY_MESSAGE);
    const owner = await this.#owner(stores, target.name, target.qualifier);
    return { policy: policyDocument(policy.statements), revisionId: owner.revisionId };
  }

  /**
   * The policy of a function (no qualifier or `$LATEST`), version or alias by plain name; undefined
   * when it has none. Kept in memory until a change to the function is heard (`invalidate`), so a
   * function URL request does no database read once warm.
   */
  async policyOf(functionName: string, qualifier: string | undefined): Promise<PolicyDocument | undefined> {
    const key = qualifier ?? LATEST;
    const known = this.#cache.get(functionName);
    if (known?.has(key) === true) return known.get(key);
    const generation = this.#generation;
    const stored = await this.#deps.storage.policies.get(functionName, key);
    const policy = stored === undefined ? undefined : policyDocument(stored.statements);
    if (generation === this.#generation) {
      const entries = this.#cache.get(functionName) ?? new Map<string, PolicyDocument | undefined>();
      entries.set(key, policy);
      this.#cache.set(functionName, entries);
    }
    return policy;
  }

  /** Drops what policyOf holds about the function (called on every change to it). */
  invalidate(functionName: string): void {
    this.#generation++;
    this.#cache.delete(functionName);
  }

  /** The version (`$LATEST` when unqualified) or alias a policy belongs to, with Lambda's 404s. */
  async #owner(stores: Stores, name: string, qualifier: string | undefined): Promise<PolicyOwner> {
    const q = qualifier ?? LATEST;
    if (qualifierKind(q) === 'alias') {
      if ((await stores.functions.getFunction(name)) === undefined) throw this.#deps.resolver.notFound(name);
      const alias = await stores.aliases.get(name, q);
      if (alias === undefined) throw errors.notFound(`Cannot find alias arn: ${functionArn(this.#deps.resolver.account, name, q)}`);
      return {
        revisionId: alias.revisionId,
        renew: async (given, revisionId) => {
          checkRevision(alias, given);
          await stores.aliases.update({ ...alias, revisionId });
        },
      };
    }
    const version = await stores.functions.getVersion(name, q);
    if (version === undefined) {
      const exists = (await stores.functions.getFunction(name)) !== undefined;
      throw this.#deps.resolver.notFound(name, exists ? qualifier : undefined);
    }
    return {
      revisionId: version.revisionId,
      renew: async (given, revisionId) => {
        const renewed = await stores.functions.updateVersion(name, q, (c) => {
          checkRevision(c, given);
          return { ...c, revisionId };
        });
        if (renewed === undefined) throw this.#deps.resolver.notFound(name, qualifier);
      },
    };
  }
}
