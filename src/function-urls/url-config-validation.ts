/**
 * Lambda's input rules for the function URL operations, as pure checks. Model constraints (the
 * qualifier of a URL, AuthType and InvokeMode enums, the Cors limits) become one
 * ValidationException listing every violation, as Lambda words them.
 */
import { errors, type ApiError } from '../shared/index.ts';
import type { FunctionUrlAuthType, FunctionUrlCors, FunctionUrlInvokeMode } from '../model/index.ts';

/** The members of Create / UpdateFunctionUrlConfig, as sent. */
export interface FunctionUrlConfigInput {
  readonly AuthType?: string | undefined;
  readonly InvokeMode?: string | undefined;
  readonly Cors?: CorsInput | undefined;
}

export interface CorsInput {
  readonly AllowCredentials?: boolean | undefined;
  readonly AllowHeaders?: string[] | undefined;
  readonly AllowMethods?: string[] | undefined;
  readonly AllowOrigins?: string[] | undefined;
  readonly ExposeHeaders?: string[] | undefined;
  readonly MaxAge?: number | undefined;
}

/** A URL belongs to `$LATEST` (no qualifier) or an alias: a version number or `$LATEST` named as a qualifier is refused. */
export const URL_QUALIFIER_PATTERN = '((?!^\\d+$)^[0-9a-zA-Z-_]+$)';
const URL_QUALIFIER_RE = /^(?!\d+$)[0-9a-zA-Z_-]+$/;
const AUTH_TYPES: readonly FunctionUrlAuthType[] = ['AWS_IAM', 'NONE'];
const INVOKE_MODES: readonly FunctionUrlInvokeMode[] = ['RESPONSE_STREAM', 'BUFFERED'];

interface Violation {
  readonly value: unknown;
  readonly member: string;
  readonly constraint: string;
}

function render(value: unknown): string {
  return Array.isArray(value) ? `[${value.join(', ')}]` : String(value);
}

function report(violations: readonly Violation[]): ApiError | undefined {
  if (violations.length === 0) return undefined;
  const n = violations.length;
  const text = violations.map((v) => `Value ${v.value === undefined ? 'null' : `'${render(v.value)}'`} at '${v.member}' failed to satisfy constraint: ${v.constraint}`).join('; ');
  return errors.validation(`${n} validation error${n === 1 ? '' : 's'} detected: ${text}`);
}

export function qualifierViolations(qualifier: string | undefined): Violation[] {
  if (qualifier === undefined || URL_QUALIFIER_RE.test(qualifier)) return [];
  return [{ value: qualifier, member: 'qualifier', constraint: `Member must satisfy regular expression pattern: ${URL_QUALIFIER_PATTERN}` }];
}

/** The qualifier check alone (Get / Delete). */
export function qualifierError(qualifier: string | undefined): ApiError | undefined {
  return report(qualifierViolations(qualifier));
}

function list(member: string, items: readonly string[] | undefined, maxItems: number, minLength: number, maxLength: number): Violation[] {
  if (items === undefined) return [];
  const out: Violation[] = [];
  if (items.length > maxItems) out.push({ value: items, member, constraint: `Member must have length less than or equal to ${maxItems}` });
  // a member constraint is reported once for the list, as Lambda does
  if (items.some((i) => i.length < minLength)) out.push({ value: items, member: `${member}.member`, constraint: `Member must have length greater than or equal to ${minLength}` });
  if (items.some((i) => i.length > maxLength)) out.push({ value: items, member: `${member}.member`, constraint: `Member must have length less than or equal to ${maxLength}` });
  return out;
}

function corsViolations(cors: CorsInput | undefined): Violation[] {
  if (cors === undefined) return [];
  const out = [
    ...list('cors.allowHeaders', cors.AllowHeaders, 100, 0, 1024),
    ...list('cors.allowMethods', cors.AllowMethods, 6, 0, 6),
    ...list('cors.allowOrigins', cors.AllowOrigins, 100, 1, 253),
    ...list('cors.exposeHeaders', cors.ExposeHeaders, 100, 0, 1024),
  ];
  const age = cors.MaxAge;
  if (age !== undefined && age < 0) out.push({ value: age, member: 'cors.maxAge', constraint: 'Member must have value greater than or equal to 0' });
  if (age !== undefined && age > 86_400) out.push({ value: age, member: 'cors.maxAge', constraint: 'Member must have value less than or equal to 86400' });
  return out;
}

/**
 * The model-constraint check of a Create (AuthType required) or Update (everything optional);
 * undefined when the input passes.
 */
export function configInputError(qualifier: string | undefined, input: FunctionUrlConfigInput, authTypeRequired: boolean): ApiError | undefined {
  const violations = [...qualifierViolations(qualifier)];
  if (input.AuthType === undefined ? authTypeRequired : !AUTH_TYPES.includes(input.AuthType as FunctionUrlAuthType)) {
    violations.push({ value: input.AuthType, member: 'authType', constraint: input.AuthType === undefined ? 'Member must not be null' : `Member must satisfy enum value set: [${AUTH_TYPES.join(', ')}]` });
  }
  if (input.InvokeMode !== undefined && !INVOKE_MODES.includes(input.InvokeMode as FunctionUrlInvokeMode)) {
    violations.push({ value: input.InvokeMode, member: 'invokeMode', constraint: `Member must satisfy enum value set: [${INVOKE_MODES.join(', ')}]` });
  }
  violations.push(...corsViolations(input.Cors));
  return report(violations);
}

/** The Cors settings to keep: only the members given (an empty object keeps nothing). */
export function storedCors(cors: CorsInput | undefined): FunctionUrlCors | undefined {
  if (cors === undefined) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of ['AllowCredentials', 'AllowHeaders', 'AllowMethods', 'AllowOrigins', 'ExposeHeaders', 'MaxAge'] as const) {
    if (cors[key] !== undefined) out[key] = cors[key];
  }
  return out as FunctionUrlCors;
}
