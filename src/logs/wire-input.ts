/**
 * Reading members of a CloudWatch Logs JSON request: a member of the wrong JSON type is a
 * SerializationException (as AWS's JSON protocol answers); out-of-range values are
 * InvalidParameterException with AWS's constraint texts.
 */
import { LogsError, logsErrors } from './logs-error.ts';

export type Input = Readonly<Record<string, unknown>>;

function wrongType(member: string): LogsError {
  return new LogsError('SerializationException', `Unexpected value type for member '${member}'`);
}

export function str(input: Input, member: string): string | undefined {
  const v = input[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw wrongType(member);
  return v;
}

export function bool(input: Input, member: string): boolean | undefined {
  const v = input[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw wrongType(member);
  return v;
}

export function int(input: Input, member: string, min?: number, max?: number): number | undefined {
  const v = input[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw wrongType(member);
  if (min !== undefined && v < min) throw logsErrors.constraint(v, member, `Member must have value greater than or equal to ${min}`);
  if (max !== undefined && v > max) throw logsErrors.constraint(v, member, `Member must have value less than or equal to ${max}`);
  return v;
}

export function strings(input: Input, member: string): string[] | undefined {
  const v = input[member];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw wrongType(member);
  return v as string[];
}

/** A member the operation requires; AWS answers InvalidParameterException naming it. */
export function required<T>(value: T | undefined, member: string): T {
  if (value === undefined) throw logsErrors.constraint('null', member, 'Member must not be null');
  return value;
}

/** `logGroupName`, or `logGroupIdentifier` (a name or an ARN). */
export function groupName(input: Input): string {
  const name = str(input, 'logGroupName');
  const id = str(input, 'logGroupIdentifier');
  if (name !== undefined && id !== undefined) throw logsErrors.invalid('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  const raw = required(name ?? id, 'logGroupName');
  const arn = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(:\*)?$/.exec(raw);
  return arn ? arn[1]! : raw;
}

/** Opaque paging tokens: base64url of a JSON value this API handed out. */
export function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeToken<T>(token: string | undefined, valid: (v: unknown) => v is T): T | undefined {
  if (token === undefined) return undefined;
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (valid(v)) return v;
  } catch {
    // falls through
  }
  throw logsErrors.invalid('The specified nextToken is invalid.');
}
