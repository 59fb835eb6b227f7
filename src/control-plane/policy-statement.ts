/**
 * The statement AddPermission adds, as Lambda writes it: `Sid`, `Effect: Allow`, the
 * `Principal` (a service, an account as its root ARN, an IAM ARN, or `*`), `Action`, the
 * function's (qualified) ARN as `Resource`, and a `Condition` for each optional member
 * (StringEquals before ArnLike, as GetPolicy shows them). And the policy document around them.
 */
import type { PolicyStatement } from '../model/index.ts';
import { errors } from '../shared/index.ts';

/** What one grant says, its members checked against the model. */
export interface PermissionGrant {
  readonly statementId: string;
  readonly action: string;
  readonly principal: string;
  readonly sourceArn?: string | undefined;
  readonly sourceAccount?: string | undefined;
  readonly eventSourceToken?: string | undefined;
  readonly principalOrgId?: string | undefined;
  readonly functionUrlAuthType?: 'NONE' | 'AWS_IAM' | undefined;
  readonly invokedViaFunctionUrl?: boolean | undefined;
}

/** A resource-based policy document as GetPolicy's `Policy` holds it (parsed). */
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Id: 'default';
  readonly Statement: readonly PolicyStatement[];
}

const ACCOUNT_ID = /^\d{12}$/;
const IAM_ARN = /^arn:aws[a-zA-Z-]*:iam::/;

export const INVALID_PRINCIPAL_MESSAGE = 'The provided principal was invalid. Please check the principal and try again.';

/** The statement of a grant on `resource`; InvalidParameterValueException for a principal Lambda does not take. */
export function buildStatement(grant: PermissionGrant, resource: string): PolicyStatement {
  const condition: Record<string, Record<string, string>> = {};
  const add = (operator: string, key: string, value: string | undefined) => {
    if (value !== undefined) condition[operator] = { ...condition[operator], [key]: value };
  };
  add('StringEquals', 'lambda:FunctionUrlAuthType', grant.functionUrlAuthType);
  add('StringEquals', 'aws:PrincipalOrgID', grant.principalOrgId);
  add('StringEquals', 'AWS:SourceAccount', grant.sourceAccount);
  add('StringEquals', 'lambda:EventSourceToken', grant.eventSourceToken);
  add('ArnLike', 'AWS:SourceArn', grant.sourceArn);
  add('Bool', 'lambda:InvokedViaFunctionUrl', grant.invokedViaFunctionUrl === undefined ? undefined : String(grant.invokedViaFunctionUrl));
  return {
    Sid: grant.statementId,
    Effect: 'Allow',
    Principal: principalOf(grant.principal),
    Action: grant.action,
    Resource: resource,
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
  };
}

/** `s3.amazonaws.com` -> Service; `123456789012` -> the account's root; an IAM ARN as given; `*` as is. */
export function principalOf(principal: string): PolicyStatement['Principal'] {
  if (principal === '*') return '*';
  if (principal.endsWith('.amazonaws.com')) return { Service: principal };
  if (ACCOUNT_ID.test(principal)) return { AWS: `arn:aws:iam::${principal}:root` };
  if (IAM_ARN.test(principal)) return { AWS: principal };
  throw errors.invalidParameter(INVALID_PRINCIPAL_MESSAGE);
}

export function policyDocument(statements: readonly PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Id: 'default', Statement: statements };
}
