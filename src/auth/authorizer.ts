/**
 * Authorisation, as Lambda decides it for a caller without identity policies: a caller acts freely
 * in its own account (Flint's account is the one every function is in); from another account only
 * on a function whose resource-based policy (AddPermission) allows that action for the caller's
 * account, else AccessDeniedException with AWS's text. Actions that name no function (ListFunctions,
 * the Logs and SQS APIs, Flint's operator routes) are the owning account's only.
 */
import { ApiError, functionArn, parseFunctionRef, type Account } from '../shared/index.ts';
import type { CallerIdentity } from './caller-identity.ts';
import type { Operation } from './operations.ts';

/** Whether the resource-based policy of a function (or of one qualifier of it) allows `action` for a caller of `callerAccountId`. */
export type ResourcePolicyCheck = (functionName: string, qualifier: string | undefined, action: string, callerAccountId: string) => Promise<boolean>;

export class Authorizer {
  readonly #account: Account;
  readonly #policyAllows: ResourcePolicyCheck;

  constructor(account: Account, policyAllows: ResourcePolicyCheck) {
    this.#account = account;
    this.#policyAllows = policyAllows;
  }

  /** Resolves when `caller` may perform `operation`; throws AccessDeniedException otherwise. */
  async authorize(caller: CallerIdentity, operation: Operation): Promise<void> {
    if (caller.accountId === this.#account.accountId) return;
    const ref = operation.functionLabel === undefined ? undefined : parseFunctionRef(operation.functionLabel, this.#account);
    if (ref !== undefined) {
      const qualifier = ref.qualifier ?? operation.qualifier;
      if (await this.#policyAllows(ref.name, qualifier === '$LATEST' ? undefined : qualifier, operation.action, caller.accountId)) return;
      const resource = functionArn(this.#account, ref.name, qualifier);
      throw accessDenied(caller, operation.action, resource, ` because no resource-based policy allows the ${operation.action} action`);
    }
    throw accessDenied(caller, operation.action, this.#resourceOf(operation), '');
  }

  #resourceOf(operation: Operation): string {
    const { region, accountId } = this.#account;
    if (operation.service === 'logs') return `arn:aws:logs:${region}:${accountId}:log-group:*`;
    if (operation.service === 'sqs') return `arn:aws:sqs:${region}:${accountId}:*`;
    return `arn:aws:lambda:${region}:${accountId}:function:*`;
  }
}

function accessDenied(caller: CallerIdentity, action: string, resource: string, because: string): ApiError {
  return new ApiError('AccessDeniedException', `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource}${because}`);
}
