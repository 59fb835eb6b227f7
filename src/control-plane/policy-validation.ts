/**
 * Pure model checks of AddPermission and RemovePermission, with Lambda's member names and
 * constraint texts (botocore's Lambda model): every violation of a request gathered into one
 * ValidationException by the caller.
 */
import { constraint, enumViolations, type Violation } from '../shared/index.ts';

/** What AddPermission's body carries, as given. */
export interface PermissionMembers {
  readonly statementId?: string | undefined;
  readonly action?: string | undefined;
  readonly principal?: string | undefined;
  readonly sourceArn?: string | undefined;
  readonly sourceAccount?: string | undefined;
  readonly eventSourceToken?: string | undefined;
  readonly principalOrgId?: string | undefined;
  readonly functionUrlAuthType?: string | undefined;
}

export const FUNCTION_URL_AUTH_TYPES = ['NONE', 'AWS_IAM'] as const;
export type FunctionUrlAuthType = (typeof FUNCTION_URL_AUTH_TYPES)[number];

/** AddPermission's StatementId (no dot); RemovePermission's path label also allows dots. */
const ADD_STATEMENT_ID = { pattern: '([a-zA-Z0-9-_]+)', re: /^[a-zA-Z0-9_-]+$/ };
const REMOVE_STATEMENT_ID = { pattern: '([a-zA-Z0-9-_.]+)', re: /^[a-zA-Z0-9_.-]+$/ };
const ACTION = { pattern: '(lambda:[*]|lambda:[a-zA-Z]+|[*])', re: /^(lambda:[*]|lambda:[a-zA-Z]+|[*])$/ };
const PRINCIPAL = { pattern: '[^\\s]+', re: /^[^\s]+$/ };
const SOURCE_ARN = {
  pattern: 'arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)',
  re: /^arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9-])+:([a-z]{2}(-gov)?-[a-z]+-\d{1})?:(\d{12})?:(.*)$/s,
};
const SOURCE_ACCOUNT = { pattern: '\\d{12}', re: /^\d{12}$/ };
const EVENT_SOURCE_TOKEN = { pattern: '[a-zA-Z0-9._\\-]+', re: /^[a-zA-Z0-9._-]+$/ };
const PRINCIPAL_ORG_ID = { pattern: 'o-[a-z0-9]{10,32}', re: /^o-[a-z0-9]{10,32}$/ };

interface Rule {
  readonly required?: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: { readonly pattern: string; readonly re: RegExp };
}

/** One member against its model constraints, in Lambda's order: length, then pattern. */
function memberViolations(member: string, value: string | undefined, rule: Rule): Violation[] {
  if (value === undefined) return rule.required === true ? [{ value, member, constraint: constraint.notNull() }] : [];
  const out: Violation[] = [];
  if (rule.min !== undefined && value.length < rule.min) out.push({ value, member, constraint: constraint.minLength(rule.min) });
  if (rule.max !== undefined && value.length > rule.max) out.push({ value, member, constraint: constraint.maxLength(rule.max) });
  if (rule.pattern !== undefined && !rule.pattern.re.test(value)) out.push({ value, member, constraint: constraint.pattern(rule.pattern.pattern) });
  return out;
}

export function addPermissionViolations(m: PermissionMembers): Violation[] {
  return [
    ...memberViolations('statementId', m.statementId, { required: true, min: 1, max: 100, pattern: ADD_STATEMENT_ID }),
    ...memberViolations('action', m.action, { required: true, pattern: ACTION }),
    ...memberViolations('principal', m.principal, { required: true, pattern: PRINCIPAL }),
    ...memberViolations('sourceArn', m.sourceArn, { pattern: SOURCE_ARN }),
    ...memberViolations('sourceAccount', m.sourceAccount, { max: 12, pattern: SOURCE_ACCOUNT }),
    ...memberViolations('eventSourceToken', m.eventSourceToken, { max: 256, pattern: EVENT_SOURCE_TOKEN }),
    ...memberViolations('principalOrgID', m.principalOrgId, { min: 12, max: 34, pattern: PRINCIPAL_ORG_ID }),
    ...enumViolations('functionUrlAuthType', m.functionUrlAuthType, FUNCTION_URL_AUTH_TYPES),
  ];
}

export function removeStatementIdViolations(statementId: string): Violation[] {
  return memberViolations('statementId', statementId, { required: true, min: 1, max: 100, pattern: REMOVE_STATEMENT_ID });
}
