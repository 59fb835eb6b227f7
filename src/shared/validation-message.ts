/**
 * Lambda's two families of input errors, in its own words:
 * - model constraints (pattern, length, range, enum) are gathered and reported
 *   together as `ValidationException` "N validation error(s) detected: Value 'X'
 *   at 'member' failed to satisfy constraint: ...; ...";
 * - service rules (runtime set, reserved variables, name length...) are
 *   `InvalidParameterValueException` with a sentence of their own.
 */
import type { ApiError } from './api-error.ts';
import { errors } from './api-error.ts';

export interface Violation {
  /** The offending value; `undefined` renders as `null` (a missing required member). */
  readonly value: unknown;
  /** Member path as Lambda names it: `functionName`, `ephemeralStorage.size`. */
  readonly member: string;
  readonly constraint: string;
}

export function describeViolation(v: Violation): string {
  const value = v.value === undefined || v.value === null ? 'null' : `'${formatValue(v.value)}'`;
  return `Value ${value} at '${v.member}' failed to satisfy constraint: ${v.constraint}`;
}

function formatValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value).map(([k, v]) => `${k}=${formatValue(v)}`).join(', ')}}`;
  }
  return String(value);
}

/** The one ValidationException for a request's violations, in the order found. */
export function validationException(violations: readonly Violation[]): ApiError {
  const n = violations.length;
  return errors.validation(`${n} validation error${n === 1 ? '' : 's'} detected: ${violations.map(describeViolation).join('; ')}`);
}

/** Throws the ValidationException when there is anything to report. */
export function assertNoViolations(violations: readonly Violation[]): void {
  if (violations.length > 0) throw validationException(violations);
}

export const constraint = {
  pattern: (pattern: string) => `Member must satisfy regular expression pattern: ${pattern}`,
  maxLength: (max: number) => `Member must have length less than or equal to ${max}`,
  minLength: (min: number) => `Member must have length greater than or equal to ${min}`,
  min: (min: number) => `Member must have value greater than or equal to ${min}`,
  max: (max: number) => `Member must have value less than or equal to ${max}`,
  enumSet: (values: readonly string[]) => `Member must satisfy enum value set: [${values.join(', ')}]`,
  notNull: () => 'Member must not be null',
};

/** A range check on an optional integer member. */
export function rangeViolations(member: string, value: number | undefined, min: number, max: number): Violation[] {
  if (value === undefined) return [];
  if (value < min) return [{ value, member, constraint: constraint.min(min) }];
  if (value > max) return [{ value, member, constraint: constraint.max(max) }];
  return [];
}

/** An enum check on an optional string member. */
export function enumViolations(member: string, value: string | undefined, allowed: readonly string[]): Violation[] {
  if (value === undefined || allowed.includes(value)) return [];
  return [{ value, member, constraint: constraint.enumSet(allowed) }];
}
