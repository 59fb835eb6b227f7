/**
 * Pure input checks of the layer operations and of a function's `Layers`, with Lambda's codes and
 * texts: model constraints gathered into one ValidationException, Lambda's own rules as
 * InvalidParameterValueException.
 */
import { errors, type Account } from '../shared/index.ts';
import { ARCHITECTURES } from './function-commands.ts';
import { assertNoViolations, constraint, type Violation } from '../shared/index.ts';

export const LAYER_NAME_PATTERN = '(arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+';
export const LAYER_VERSION_ARN_PATTERN = 'arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+';
const LAYER_NAME_RE = new RegExp(`^(?:${LAYER_NAME_PATTERN})$`);
const LAYER_VERSION_ARN_RE = new RegExp(`^(?:${LAYER_VERSION_ARN_PATTERN})$`);

/** The Runtime enum of the API model (CompatibleRuntimes may name runtimes Flint does not run). */
export const MODEL_RUNTIMES: readonly string[] = [
  'nodejs', 'nodejs4.3', 'nodejs6.10', 'nodejs8.10', 'nodejs10.x', 'nodejs12.x', 'nodejs14.x', 'nodejs16.x', 'nodejs18.x',
  'nodejs20.x', 'nodejs22.x', 'nodejs24.x', 'nodejs26.x', 'java8', 'java8.al2', 'java8.al2023', 'java11', 'java11.al2023', 'java17', 'java17.al2023',
  'java21', 'java25', 'python2.7', 'python3.6', 'python3.7', 'python3.8', 'python3.9', 'python3.10', 'python3.11', 'python3.12',
  'python3.13', 'python3.14', 'python3.15', 'dotnetcore1.0', 'dotnetcore2.0', 'dotnetcore2.1', 'dotnetcore3.1', 'dotnet6', 'dotnet8', 'dotnet10',
  'go1.x', 'ruby2.5', 'ruby2.7', 'ruby3.2', 'ruby3.3', 'ruby3.4', 'ruby4.0', 'provided', 'provided.al2', 'provided.al2023',
];

/** Lambda's answer to a layer version number below 1. */
export const LAYER_VERSION_TOO_LOW_MESSAGE = 'Layer Version Cannot be less than 1';
/** Lambda's answer to a layer version (or layer) that does not exist. */
export const LAYER_NOT_FOUND_MESSAGE = 'The resource you requested does not exist.';

export interface PublishLayerInput {
  readonly layerName: string;
  readonly description?: string | undefined;
  readonly licenseInfo?: string | undefined;
  readonly compatibleRuntimes?: readonly string[] | undefined;
  readonly compatibleArchitectures?: readonly string[] | undefined;
}

/** LayerName (a name or the layer's ARN) as the path gives it. */
export function layerNameViolations(value: string): Violation[] {
  const out: Violation[] = [];
  if (value.length < 1) out.push({ value, member: 'layerName', constraint: constraint.minLength(1) });
  if (value.length > 140) out.push({ value, member: 'layerName', constraint: constraint.maxLength(140) });
  if (!LAYER_NAME_RE.test(value)) out.push({ value, member: 'layerName', constraint: constraint.pattern(LAYER_NAME_PATTERN) });
  return out;
}

export function checkPublishLayer(input: PublishLayerInput): void {
  const v: Violation[] = [...layerNameViolations(input.layerName)];
  if (input.description !== undefined && input.description.length > 256) v.push({ value: input.description, member: 'description', constraint: constraint.maxLength(256) });
  if (input.licenseInfo !== undefined && input.licenseInfo.length > 512) v.push({ value: input.licenseInfo, member: 'licenseInfo', constraint: constraint.maxLength(512) });
  v.push(...listViolations('compatibleRuntimes', input.compatibleRuntimes, 15, MODEL_RUNTIMES));
  v.push(...listViolations('compatibleArchitectures', input.compatibleArchitectures, 2, ARCHITECTURES));
  assertNoViolations(v);
}

/** CompatibleRuntime / CompatibleArchitecture filters of the list operations. */
export function checkListFilters(runtime: string | undefined, architecture: string | undefined): void {
  const v: Violation[] = [];
  if (runtime !== undefined && !MODEL_RUNTIMES.includes(runtime)) v.push({ value: runtime, member: 'compatibleRuntime', constraint: constraint.enumSet(MODEL_RUNTIMES) });
  if (architecture !== undefined && !(ARCHITECTURES as readonly string[]).includes(architecture)) {
    v.push({ value: architecture, member: 'compatibleArchitecture', constraint: constraint.enumSet(ARCHITECTURES) });
  }
  assertNoViolations(v);
}

function listViolations(member: string, values: readonly string[] | undefined, max: number, allowed: readonly string[]): Violation[] {
  if (values === undefined) return [];
  if (values.length > max) return [{ value: values, member, constraint: constraint.maxLength(max) }];
  if (values.every((x) => allowed.includes(x))) return [];
  return [{ value: values, member, constraint: `Member must satisfy constraint: [${constraint.enumSet(allowed)}]` }];
}

/** The layer's name from LayerName (a name, or the layer's ARN in this account and region). */
export function layerNameOf(value: string, account: Account): string {
  assertNoViolations(layerNameViolations(value));
  if (!value.startsWith('arn:')) return value;
  const parts = value.split(':');
  if (parts[3] !== account.region || parts[4] !== account.accountId) throw errors.notFound(LAYER_NOT_FOUND_MESSAGE);
  return parts[6]!;
}

/** VersionNumber: Lambda refuses a number below 1 before looking anything up. */
export function checkVersionNumber(version: number): void {
  if (!Number.isSafeInteger(version) || version < 1) throw errors.invalidParameter(LAYER_VERSION_TOO_LOW_MESSAGE);
}

/** A layer version ARN, split; undefined when it does not match the model's pattern. */
export function parseLayerVersionArn(arn: string): { region: string; accountId: string; layerName: string; version: number } | undefined {
  if (arn.length > 140 || !LAYER_VERSION_ARN_RE.test(arn)) return undefined;
  const parts = arn.split(':');
  return { region: parts[3]!, accountId: parts[4]!, layerName: parts[6]!, version: Number(parts[7]) };
}

/** GetLayerVersionByArn's `Arn`. */
export function checkLayerVersionArn(arn: string | undefined): { region: string; accountId: string; layerName: string; version: number } {
  if (arn === undefined) return assertNoViolations([{ value: undefined, member: 'arn', constraint: constraint.notNull() }]) as never;
  const parsed = parseLayerVersionArn(arn);
  if (parsed === undefined) {
    assertNoViolations([{ value: arn, member: 'arn', constraint: constraint.pattern(LAYER_VERSION_ARN_PATTERN) }]);
  }
  return parsed!;
}

/** Lambda's rule on a function's layers: one version per layer. */
export function checkDistinctLayers(arns: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const arn of arns) {
    const layer = arn.slice(0, arn.lastIndexOf(':'));
    const earlier = seen.get(layer);
    if (earlier !== undefined) {
      throw errors.invalidParameter(
        `Two different versions of the same layer are not allowed to be referenced in the same function. ${earlier} and ${arn} are versions of the same layer.`,
      );
    }
    seen.set(layer, arn);
  }
}

export function layerVersionNotFound(arn: string) {
  return errors.invalidParameter(`Layer version ${arn} does not exist.`);
}

/** The 250 MB quota on function code and layers together, unzipped. */
export function checkCombinedSize(total: number, max: number): void {
  if (total > max) {
    throw errors.invalidParameter(`Function code combined with layers exceeds the maximum allowed size of ${max} bytes. The actual size is ${total} bytes.`);
  }
}
