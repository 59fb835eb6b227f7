/**
 * Lambda's event filtering (FilterCriteria): JSON patterns over a record, the grammar Lambda shares
 * with EventBridge. A pattern is an object whose keys name fields of the record; a value is
 * either a nested pattern (an object) or a list of matchers, any of which may match:
 *
 *   exact values (string, number, boolean, null; `""` matches an empty string),
 *   { "prefix": s }, { "suffix": s }, { "equals-ignore-case": s }, { "wildcard": "a*b" },
 *   { "anything-but": v | [v...] | { "prefix": s } | { "suffix": s } | { "equals-ignore-case": s | [s...] } },
 *   { "numeric": [op, n] | [op, n, op, n] } (op: = < <= > >=), { "exists": true | false },
 *
 * and `"$or": [pattern, ...]` at any object level. Keys are ANDed; a field holding a list
 * matches when any of its elements does. A record matches FilterCriteria when any filter matches.
 */
import { errors } from '../shared/index.ts';

export type Pattern = { readonly [key: string]: unknown };

/** At most this many filters per mapping (Lambda's default quota). */
export const MAX_FILTERS = 5;
/** The model's limit on a pattern's length. */
export const MAX_PATTERN_LENGTH = 4096;

const INVALID = 'Invalid filter pattern definition.';
const NUMERIC_OPS = new Set(['=', '<', '<=', '>', '>=']);

class BadPattern extends Error {}

/** Parses and checks one pattern; throws Lambda's InvalidParameterValueException when it is not a valid one. */
export function parsePattern(text: string): Pattern {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw errors.invalidParameter(INVALID);
  }
  try {
    checkObject(parsed);
  } catch (err) {
    if (err instanceof BadPattern) throw errors.invalidParameter(INVALID);
    throw err;
  }
  return parsed as Pattern;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkObject(p: unknown): void {
  if (!isObject(p) || Object.keys(p).length === 0) throw new BadPattern();
  for (const [key, value] of Object.entries(p)) {
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) throw new BadPattern();
      for (const alt of value) checkObject(alt);
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw new BadPattern();
      for (const m of value) checkMatcher(m);
    } else {
      checkObject(value);
    }
  }
}

function checkMatcher(m: unknown): void {
  if (m === null || typeof m === 'string' || typeof m === 'number' || typeof m === 'boolean') return;
  if (!isObject(m)) throw new BadPattern();
  const keys = Object.keys(m);
  if (keys.length !== 1) throw new BadPattern();
  const op = keys[0]!;
  const v = m[op];
  switch (op) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
    case 'wildcard':
      if (typeof v !== 'string') throw new BadPattern();
      return;
    case 'exists':
      if (typeof v !== 'boolean') throw new BadPattern();
      return;
    case 'numeric':
      checkNumeric(v);
      return;
    case 'anything-but':
      checkAnythingBut(v);
      return;
    default:
      throw new BadPattern();
  }
}

function checkNumeric(v: unknown): void {
  if (!Array.isArray(v) || (v.length !== 2 && v.length !== 4)) throw new BadPattern();
  for (let i = 0; i < v.length; i += 2) {
    if (typeof v[i] !== 'string' || !NUMERIC_OPS.has(v[i] as string) || typeof v[i + 1] !== 'number') throw new BadPattern();
  }
  if (v.length === 4) {
    const [a, , b] = v as [string, number, string, number];
    const lower = a.startsWith('>');
    const upper = b.startsWith('<');
    if (!lower || !upper) throw new BadPattern(); // a range is a lower bound then an upper bound
  } else if (v[0] === '=' && v.length !== 2) throw new BadPattern();
}

function checkAnythingBut(v: unknown): void {
  if (typeof v === 'string' || typeof v === 'number') return;
  if (Array.isArray(v)) {
    if (v.length === 0 || !v.every((x) => typeof x === 'string' || typeof x === 'number')) throw new BadPattern();
    return;
  }
  if (isObject(v)) {
    const keys = Object.keys(v);
    if (keys.length !== 1) throw new BadPattern();
    const inner = v[keys[0]!];
    if (keys[0] === 'prefix' || keys[0] === 'suffix') {
      if (typeof inner !== 'string') throw new BadPattern();
      return;
    }
    if (keys[0] === 'equals-ignore-case') {
      if (typeof inner === 'string' || (Array.isArray(inner) && inner.length > 0 && inner.every((x) => typeof x === 'string'))) return;
    }
  }
  throw new BadPattern();
}

/** Whether `value` (a record, or part of one) matches the pattern. */
export function matches(pattern: Pattern, value: unknown): boolean {
  const obj = isObject(value) ? value : undefined;
  for (const [key, sub] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!(sub as Pattern[]).some((alt) => matches(alt, value))) return false;
      continue;
    }
    const present = obj !== undefined && Object.hasOwn(obj, key);
    const field = present ? obj[key] : undefined;
    if (Array.isArray(sub)) {
      if (!leafMatches(sub, present, field)) return false;
    } else {
      // a nested pattern: the field must be an object (or a list of objects, any of which matches)
      const candidates = Array.isArray(field) ? field : [field];
      if (!present || !candidates.some((c) => isObject(c) && matches(sub as Pattern, c))) return false;
    }
  }
  return true;
}

function leafMatches(matchers: readonly unknown[], present: boolean, field: unknown): boolean {
  const values = Array.isArray(field) ? field : [field];
  return matchers.some((m) => {
    if (isObject(m) && 'exists' in m) return m.exists === (present && !isObject(field));
    if (!present) return false;
    return values.some((v) => matcherMatches(m, v));
  });
}

function matcherMatches(m: unknown, v: unknown): boolean {
  if (!isObject(m)) {
    if (typeof m === 'number') return typeof v === 'number' && v === m;
    return v === m;
  }
  const [op, arg] = Object.entries(m)[0]!;
  switch (op) {
    case 'prefix':
      return typeof v === 'string' && v.startsWith(arg as string);
    case 'suffix':
      return typeof v === 'string' && v.endsWith(arg as string);
    case 'equals-ignore-case':
      return typeof v === 'string' && v.toLowerCase() === (arg as string).toLowerCase();
    case 'wildcard':
      return typeof v === 'string' && wildcardRegExp(arg as string).test(v);
    case 'numeric':
      return typeof v === 'number' && numericMatches(arg as Array<string | number>, v);
    case 'anything-but':
      return anythingBut(arg, v);
    default:
      return false;
  }
}

function wildcardRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}

function numericMatches(spec: ReadonlyArray<string | number>, v: number): boolean {
  for (let i = 0; i < spec.length; i += 2) {
    const n = spec[i + 1] as number;
    const ok = { '=': v === n, '<': v < n, '<=': v <= n, '>': v > n, '>=': v >= n }[spec[i] as '=' | '<' | '<=' | '>' | '>='];
    if (!ok) return false;
  }
  return true;
}

function anythingBut(arg: unknown, v: unknown): boolean {
  if (Array.isArray(arg)) return !arg.some((x) => x === v);
  if (isObject(arg)) {
    const [op, inner] = Object.entries(arg)[0]!;
    if (typeof v !== 'string') return true;
    if (op === 'prefix') return !v.startsWith(inner as string);
    if (op === 'suffix') return !v.endsWith(inner as string);
    const list = Array.isArray(inner) ? (inner as string[]) : [inner as string];
    return !list.some((x) => x.toLowerCase() === v.toLowerCase());
  }
  return v !== arg;
}

/** A record's fields as patterns see them: an SQS `body` holding JSON (an object or a list) is matched as parsed JSON. */
export function filterView(record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const body = record.body;
  if (typeof body !== 'string') return { ...record };
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null) return { ...record, body: parsed };
  } catch {
    // a body that is not JSON is matched as its text
  }
  return { ...record };
}

/** Whether a record passes FilterCriteria: no filters, or any filter matches. */
export function passesFilters(patterns: readonly Pattern[], record: Readonly<Record<string, unknown>>): boolean {
  if (patterns.length === 0) return true;
  const view = filterView(record);
  return patterns.some((p) => matches(p, view));
}
