/**
 * Pure input checks of the function operations, with Lambda's codes and texts.
 * `*Violations` functions return model-constraint violations (gathered into one
 * ValidationException by the caller); `check*` functions throw the service's
 * InvalidParameterValueException for Lambda's own rules.
 */
import { errors, loggedAs } from '../shared/index.ts';
import type { FunctionSettings } from './function-commands.ts';
import { ARCHITECTURES } from './function-commands.ts';
import { constraint, enumViolations, rangeViolations, type Violation } from '../shared/index.ts';

/** Runtimes Flint runs (the set new functions may use). */
export const SUPPORTED_RUNTIMES = [
  'nodejs18.x', 'nodejs20.x', 'nodejs22.x', 'nodejs24.x',
  'python3.9', 'python3.10', 'python3.11', 'python3.12', 'python3.13',
  'provided.al2', 'provided.al2023',
] as const;

export const FUNCTION_NAME_PATTERN = '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?';
/** The read operations' pattern also allows dots in the name part. */
export const FUNCTION_NAME_READ_PATTERN = '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?';
export const ROLE_PATTERN = 'arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+';
const HANDLER_PATTERN = '[^\\s]+';
const ENV_KEY_PATTERN = '[a-zA-Z]([a-zA-Z0-9_])+';
const LAYER_ARN_PATTERN = 'arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+';
const LOG_GROUP_PATTERN = '[\\.\\-_/#A-Za-z0-9]+';
/** `KMSKeyArn` as the 2015-03-31 model has it: any ARN, or '' (which clears it on update). */
const KMS_KEY_ARN_PATTERN = '(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()';

const full = (pattern: string): RegExp => new RegExp(`^(?:${pattern})$`);
const FUNCTION_NAME_RE = full(FUNCTION_NAME_PATTERN);
const FUNCTION_NAME_READ_RE = full(FUNCTION_NAME_READ_PATTERN);
const ROLE_RE = full(ROLE_PATTERN);
const HANDLER_RE = full(HANDLER_PATTERN);
const ENV_KEY_RE = full(ENV_KEY_PATTERN);
const LAYER_ARN_RE = full(LAYER_ARN_PATTERN);
const LOG_GROUP_RE = full(LOG_GROUP_PATTERN);
const KMS_KEY_ARN_RE = full(KMS_KEY_ARN_PATTERN);
/** `DeadLetterConfig.TargetArn` as the model has it (the same ResourceArn pattern). */
const DEAD_LETTER_TARGET_RE = KMS_KEY_ARN_RE;

/** Names longer than this are refused even though the pattern (which admits ARNs) allows 140. */
export const MAX_FUNCTION_NAME_LENGTH = 64;
export const MAX_ENVIRONMENT_BYTES = 4096;
export const MAX_LAYERS = 5;
export const RESERVED_ENVIRONMENT_KEYS: ReadonlySet<string> = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
]);

export type NameOperation = 'write' | 'read';

/** FunctionName as a path label or body member: writes allow 140 characters, reads 170 and dots. */
export function functionNameViolations(value: string | undefined, operation: NameOperation): Violation[] {
  const member = 'functionName';
  if (value === undefined) return [{ value, member, constraint: constraint.notNull() }];
  const [max, re, pattern] = operation === 'write' ? [140, FUNCTION_NAME_RE, FUNCTION_NAME_PATTERN] : [170, FUNCTION_NAME_READ_RE, FUNCTION_NAME_READ_PATTERN];
  const out: Violation[] = [];
  if (value.length < 1) out.push({ value, member, constraint: constraint.minLength(1) });
  if (value.length > max) out.push({ value, member, constraint: constraint.maxLength(max) });
  if (!re.test(value)) out.push({ value, member, constraint: constraint.pattern(pattern) });
  return out;
}

export function roleViolations(value: string | undefined, required: boolean): Violation[] {
  if (value === undefined) return required ? [{ value, member: 'role', constraint: constraint.notNull() }] : [];
  return ROLE_RE.test(value) ? [] : [{ value, member: 'role', constraint: constraint.pattern(ROLE_PATTERN) }];
}

export function handlerViolations(value: string | undefined): Violation[] {
  if (value === undefined) return [];
  const out: Violation[] = [];
  if (value.length > 128) out.push({ value, member: 'handler', constraint: constraint.maxLength(128) });
  if (!HANDLER_RE.test(value)) out.push({ value, member: 'handler', constraint: constraint.pattern(HANDLER_PATTERN) });
  return out;
}

export function environmentKeyViolations(vars: Readonly<Record<string, string>> | undefined): Violation[] {
  const bad = Object.keys(vars ?? {}).filter((k) => !ENV_KEY_RE.test(k));
  if (bad.length === 0) return [];
  const c = `Map keys must satisfy constraint: [${constraint.pattern(ENV_KEY_PATTERN)}]`;
  return [{ value: bad, member: 'environment.variables', constraint: c }];
}

export function layerViolations(layers: readonly string[] | undefined): Violation[] {
  const bad = (layers ?? []).filter((arn) => arn.length > 140 || !LAYER_ARN_RE.test(arn));
  if (bad.length === 0) return [];
  const c = `Member must satisfy constraint: [${constraint.maxLength(140)}, ${constraint.minLength(1)}, ${constraint.pattern(LAYER_ARN_PATTERN)}]`;
  return [{ value: bad, member: 'layers', constraint: c }];
}

export function architectureViolations(value: readonly string[] | undefined): Violation[] {
  if (value === undefined) return [];
  const member = 'architectures';
  if (value.length !== 1) return [{ value, member, constraint: value.length === 0 ? constraint.minLength(1) : constraint.maxLength(1) }];
  const allowed = ARCHITECTURES as readonly string[];
  if (allowed.includes(value[0]!)) return [];
  return [{ value, member, constraint: `Member must satisfy constraint: [${constraint.enumSet(allowed)}, ${constraint.notNull()}]` }];
}

/** Every model constraint on the settings shared by create and update-configuration. */
export function settingsViolations(s: FunctionSettings): Violation[] {
  const log = s.loggingConfig;
  const logGroup = log?.logGroup;
  return [
    ...handlerViolations(s.handler),
    ...(s.description !== undefined && s.description.length > 256 ? [{ value: s.description, member: 'description', constraint: constraint.maxLength(256) }] : []),
    ...rangeViolations('timeout', s.timeoutSec, 1, 900),
    ...rangeViolations('memorySize', s.memorySizeMb, 128, 10240),
    ...rangeViolations('ephemeralStorage.size', s.ephemeralStorageMb, 512, 10240),
    ...environmentKeyViolations(s.environment),
    ...(s.kmsKeyArn !== undefined && !KMS_KEY_ARN_RE.test(s.kmsKeyArn) ? [{ value: s.kmsKeyArn, member: 'kMSKeyArn', constraint: constraint.pattern(KMS_KEY_ARN_PATTERN) }] : []),
    ...(s.deadLetterTargetArn !== undefined && !DEAD_LETTER_TARGET_RE.test(s.deadLetterTargetArn)
      ? [{ value: s.deadLetterTargetArn, member: 'deadLetterConfig.targetArn', constraint: constraint.pattern(KMS_KEY_ARN_PATTERN) }]
      : []),
    ...layerViolations(s.layers),
    ...enumViolations('tracingConfig.mode', s.tracingMode, ['Active', 'PassThrough']),
    ...enumViolations('loggingConfig.logFormat', log?.logFormat, ['JSON', 'Text']),
    ...enumViolations('loggingConfig.applicationLogLevel', log?.applicationLogLevel, ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']),
    ...enumViolations('loggingConfig.systemLogLevel', log?.systemLogLevel, ['DEBUG', 'INFO', 'WARN']),
    ...(logGroup !== undefined && (logGroup.length > 512 || !LOG_GROUP_RE.test(logGroup))
      ? [{ value: logGroup, member: 'loggingConfig.logGroup', constraint: constraint.pattern(LOG_GROUP_PATTERN) }]
      : []),
  ];
}

/**
 * `DeadLetterConfig.TargetArn` names a queue or topic (Lambda takes SQS and SNS); Flint has queues
 * only, so anything else is refused clearly. Whether the queue exists is seen at delivery (as in Lambda).
 */
export function checkDeadLetterTarget(arn: string): void {
  if (arn === '' || arn.split(':')[2] === 'sqs') return;
  const what = arn.split(':')[2] === 'sns' ? 'Amazon SNS topic dead-letter targets' : `dead-letter targets other than SQS queues`;
  throw errors.invalidParameter(`Flint doesn't support ${what} (${arn}). Only Amazon SQS queue ARNs (arn:aws:sqs:REGION:ACCOUNT:NAME) can be the DeadLetterConfig TargetArn.`);
}

/** A runtime outside Flint's set, answered as Lambda does (enum list + "or be a valid ARN"). */
export function checkRuntime(runtime: string): void {
  if ((SUPPORTED_RUNTIMES as readonly string[]).includes(runtime)) return;
  throw errors.invalidParameter(
    `Value ${runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [${SUPPORTED_RUNTIMES.join(', ')}] or be a valid ARN`,
  );
}

/** The bare name's own limit (the pattern admits ARNs up to 140 characters). */
export function checkNameLength(name: string): void {
  if (name.length <= MAX_FUNCTION_NAME_LENGTH) return;
  throw errors.invalidParameter(
    `1 validation error detected: Value '${name}' at 'functionName' failed to satisfy constraint: ${constraint.maxLength(MAX_FUNCTION_NAME_LENGTH)}`,
  );
}

/** Reserved keys, then the 4 KB limit on the variables serialised as compact JSON. */
export function checkEnvironment(vars: Readonly<Record<string, string>>): void {
  const reserved = Object.keys(vars).filter((k) => RESERVED_ENVIRONMENT_KEYS.has(k));
  const prefix = 'Lambda was unable to configure your environment variables because the environment variables you have provided';
  if (reserved.length > 0) {
    throw errors.invalidParameter(
      `${prefix} contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
    );
  }
  const measured = JSON.stringify(vars);
  if (Buffer.byteLength(measured, 'utf8') > MAX_ENVIRONMENT_BYTES) {
    // Lambda echoes the variables to the caller who sent them; Flint's log gets their names only
    throw loggedAs(
      errors.invalidParameter(`${prefix} exceeded the 4KB limit. String measured: ${measured}`),
      `${prefix} exceeded the 4KB limit (names: ${Object.keys(vars).join(', ')}; values not logged)`,
    );
  }
}

export function checkLayerCount(layers: readonly string[]): void {
  if (layers.length > MAX_LAYERS) throw errors.invalidParameter(`Cannot reference more than ${MAX_LAYERS} layers.`);
}

