/**
 * Whether a function's resource-based policy lets a caller invoke it: the part of IAM's policy
 * evaluation that Lambda's own statements need. Pure; no lookups.
 *
 * - A statement applies when its Principal, Action and every Condition match the request. A
 *   Deny that applies refuses (AddPermission only ever writes Allow); otherwise an Allow that
 *   applies grants; nothing applying refuses.
 * - Principal `*` (or `{"AWS": "*"}`) is everyone, the anonymous caller included; `{"Service": S}`
 *   a service caller S; `{"AWS": "arn:aws:iam::A:root"}` (or `A`) a caller of account A.
 * - Action `*` and `lambda:*` match every action; otherwise actions compare without case.
 * - Conditions: StringEquals, StringLike, ArnEquals, ArnLike and Bool on the keys Lambda writes
 *   (`lambda:FunctionUrlAuthType`, `AWS:SourceArn`, `AWS:SourceAccount`, `aws:PrincipalOrgID`,
 *   `lambda:EventSourceToken`, `lambda:InvokedViaFunctionUrl`; key names without case). A key the
 *   request does not carry, an operator or key not listed: the condition fails (fail closed).
 */
import type { PolicyStatement } from '../model/index.ts';
import type { PolicyDocument } from './policy-statement.ts';

export type InvokeAction = 'lambda:InvokeFunctionUrl' | 'lambda:InvokeFunction';

/** Who is calling: anonymous (`*`), an AWS account, or an AWS service. */
export type InvokePrincipal = '*' | { readonly account: string } | { readonly service: string };

/** The request an invoke is decided on: action, caller, and the context keys it carries. */
export interface InvokeAuthorization {
  /** An invoke action, or any other Lambda action a statement may grant (`lambda:GetFunction`). */
  readonly action: InvokeAction | (string & {});
  readonly principal: InvokePrincipal;
  /** The AuthType of the function URL called through (URL invokes). */
  readonly functionUrlAuthType?: 'NONE' | 'AWS_IAM' | undefined;
  /** Whether the invoke came through a function URL (`lambda:InvokedViaFunctionUrl`). */
  readonly invokedViaFunctionUrl?: boolean | undefined;
  readonly sourceArn?: string | undefined;
  readonly sourceAccount?: string | undefined;
  readonly principalOrgId?: string | undefined;
  readonly eventSourceToken?: string | undefined;
}

/** Whether `policy` (a document, its statements, or none) allows the invoke. */
export function allowsInvoke(policy: PolicyDocument | readonly PolicyStatement[] | undefined, request: InvokeAuthorization): boolean {
  const statements = policy === undefined ? [] : Array.isArray(policy) ? (policy as readonly PolicyStatement[]) : (policy as PolicyDocument).Statement;
  const applying = statements.filter((s) => principalMatches(s.Principal, request.principal) && actionMatches(s.Action, request.action) && conditionsHold(s.Condition, request));
  if (applying.some((s) => s.Effect === 'Deny')) return false;
  return applying.some((s) => s.Effect === 'Allow');
}

function principalMatches(granted: PolicyStatement['Principal'], caller: InvokePrincipal): boolean {
  if (granted === '*') return true;
  if ('AWS' in granted) {
    if (granted.AWS === '*') return true;
    if (caller === '*' || !('account' in caller)) return false;
    return granted.AWS === caller.account || granted.AWS === `arn:aws:iam::${caller.account}:root`;
  }
  return caller !== '*' && 'service' in caller && granted.Service.toLowerCase() === caller.service.toLowerCase();
}

function actionMatches(granted: string, action: string): boolean {
  const g = granted.toLowerCase();
  return g === '*' || g === 'lambda:*' || g === action.toLowerCase();
}

/** The request's value of a condition key (key names compare without case); undefined when it carries none. */
function contextValue(key: string, r: InvokeAuthorization): string | undefined {
  switch (key.toLowerCase()) {
    case 'lambda:functionurlauthtype':
      return r.functionUrlAuthType;
    case 'lambda:invokedviafunctionurl':
      return r.invokedViaFunctionUrl === undefined ? undefined : String(r.invokedViaFunctionUrl);
    case 'aws:sourcearn':
      return r.sourceArn;
    case 'aws:sourceaccount':
      return r.sourceAccount;
    case 'aws:principalorgid':
      return r.principalOrgId;
    case 'lambda:eventsourcetoken':
      return r.eventSourceToken;
    default:
      return undefined;
  }
}

const OPERATORS: Readonly<Record<string, (pattern: string, value: string) => boolean>> = {
  StringEquals: (p, v) => p === v,
  StringLike: (p, v) => globMatches(p, v),
  ArnEquals: (p, v) => arnMatches(p, v, (a, b) => a === b),
  ArnLike: (p, v) => arnMatches(p, v, globMatches),
  Bool: (p, v) => p.toLowerCase() === v.toLowerCase(),
};

function conditionsHold(condition: PolicyStatement['Condition'], r: InvokeAuthorization): boolean {
  if (condition === undefined) return true;
  return Object.entries(condition).every(([operator, entries]) => {
    const test = OPERATORS[operator];
    if (test === undefined) return false;
    return Object.entries(entries).every(([key, expected]) => {
      const actual = contextValue(key, r);
      return actual !== undefined && test(expected, actual);
    });
  });
}

/** IAM's `*` (any run of characters) and `?` (any one character), over the whole value. */
export function globMatches(pattern: string, value: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 's').test(value);
}

/** ARNs compare part by part (`arn:partition:service:region:account:resource`), the resource keeping its colons. */
function arnMatches(pattern: string, value: string, test: (p: string, v: string) => boolean): boolean {
  const p = arnParts(pattern);
  const v = arnParts(value);
  if (p === undefined || v === undefined) return false;
  return p.every((part, i) => test(part, v[i]!));
}

function arnParts(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}
