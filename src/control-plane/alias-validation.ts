/**
 * Pure input checks of the alias operations, with Lambda's codes and texts:
 * model constraints (name, version, description, routing weights and keys) as
 * violations gathered into one ValidationException, and the service's own
 * routing rules as InvalidParameterValueException.
 */
import { errors } from '../shared/index.ts';
import { constraint, type Violation } from '../shared/index.ts';

export const ALIAS_NAME_PATTERN = '(?!^[0-9]+$)([a-zA-Z0-9-_]+)';
export const ALIAS_VERSION_PATTERN = '(\\$LATEST|[0-9]+)';
const ALIAS_NAME_RE = /^(?!^[0-9]+$)([a-zA-Z0-9_-]+)$/;
const ALIAS_VERSION_RE = /^(\$LATEST|[0-9]+)$/;
const VERSION_KEY_RE = /^[0-9]+$/;

const WEIGHT_CONSTRAINT =
  'Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]';
const KEY_CONSTRAINT =
  'Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+, Member must not be null]';

export interface AdditionalVersion {
  readonly version: string;
  readonly weight: number;
}

export function aliasNameViolations(name: string | undefined): Violation[] {
  const member = 'name';
  if (name === undefined) return [{ value: name, member, constraint: constraint.notNull() }];
  const out: Violation[] = [];
  if (name.length < 1) out.push({ value: name, member, constraint: constraint.minLength(1) });
  if (name.length > 128) out.push({ value: name, member, constraint: constraint.maxLength(128) });
  if (!ALIAS_NAME_RE.test(name)) out.push({ value: name, member, constraint: constraint.pattern(ALIAS_NAME_PATTERN) });
  return out;
}

/** `FunctionVersion` of CreateAlias (required), UpdateAlias and the ListAliases filter. */
export function aliasVersionViolations(version: string | undefined, required: boolean): Violation[] {
  const member = 'functionVersion';
  if (version === undefined) return required ? [{ value: version, member, constraint: constraint.notNull() }] : [];
  const out: Violation[] = [];
  if (version.length < 1) out.push({ value: version, member, constraint: constraint.minLength(1) });
  if (version.length > 1024) out.push({ value: version, member, constraint: constraint.maxLength(1024) });
  if (!ALIAS_VERSION_RE.test(version)) out.push({ value: version, member, constraint: constraint.pattern(ALIAS_VERSION_PATTERN) });
  return out;
}

export function descriptionViolations(description: string | undefined): Violation[] {
  return description !== undefined && description.length > 256 ? [{ value: description, member: 'description', constraint: constraint.maxLength(256) }] : [];
}

/**
 * `RoutingConfig.AdditionalVersionWeights` to at most one additional version.
 * More than one entry is the service's refusal; a weight outside [0, 1) or a key
 * that is not a version number is a model violation. `{}` means no routing.
 */
export function parseWeights(weights: Readonly<Record<string, number>> | undefined): { additional?: AdditionalVersion; violations: Violation[] } {
  const entries = Object.entries(weights ?? {});
  if (entries.length > 1) throw errors.invalidParameter('Number of items in AdditionalVersionWeights cannot be greater than 1');
  const [entry] = entries;
  if (entry === undefined) return { violations: [] };
  const [version, weight] = entry;
  const value = `{${version}=${javaDouble(weight)}}`;
  const member = 'routingConfig.additionalVersionWeights';
  if (!(weight >= 0 && weight < 1)) return { violations: [{ value, member, constraint: WEIGHT_CONSTRAINT }] };
  if (!VERSION_KEY_RE.test(version)) return { violations: [{ value, member, constraint: KEY_CONSTRAINT }] };
  return { additional: { version, weight }, violations: [] };
}

/** The service's rules on an alias's routing, given its primary version. */
export function checkRouting(primary: string, additional: AdditionalVersion | undefined): void {
  if (additional === undefined) return;
  if (additional.version === primary) {
    throw errors.invalidParameter(`Invalid function version ${primary}. Function version ${primary} is already included in routing configuration.`);
  }
  if (primary === '$LATEST') throw errors.invalidParameter('$LATEST is not supported for an alias pointing to more than 1 version');
}

/** A double as Java prints it (`2.0`, `-1.0`, `0.5`), the way Lambda's messages show weights. */
export function javaDouble(n: number): string {
  return Number.isInteger(n) ? n.toFixed(1) : String(n);
}
