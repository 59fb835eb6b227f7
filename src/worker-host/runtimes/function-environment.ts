/**
 * The environment a specialized sandbox runs with: Lambda's reserved variables with Lambda's
 * values (spec section 3) over the user's variables over the runtime's base environment. Pure.
 */
import type { RuntimeDefinition } from './runtime-catalog.ts';

/** Keys a function's `Environment.Variables` may not set (the control plane rejects them). */
export const RESERVED_ENVIRONMENT_KEYS: readonly string[] = [
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
];

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

/** Stand-in execution-role credentials: Flint issues no real ones; its own API does not check them. */
export const PLACEHOLDER_CREDENTIALS: Credentials = {
  accessKeyId: 'AKIAFLINTPLACEHOLDER',
  secretAccessKey: 'flint-placeholder-secret-access-key',
  sessionToken: 'flint-placeholder-session-token',
};

export interface FunctionEnvironmentInput {
  readonly runtime: RuntimeDefinition;
  /** The cell's base environment (`cellTemplate(...).env`). */
  readonly baseEnv: Readonly<Record<string, string>>;
  readonly functionName: string;
  /** `$LATEST` or the resolved version number. */
  readonly version: string;
  readonly handler: string;
  readonly memorySizeMb: number;
  readonly region: string;
  /** `Environment.Variables`; reserved keys in it are ignored (they are rejected upstream). */
  readonly userVariables: Readonly<Record<string, string>>;
  /** From `logStreamName(...)`: one stream per sandbox. */
  readonly logStreamName: string;
  /** Default `/aws/lambda/<functionName>` (LoggingConfig.LogGroup may name another). */
  readonly logGroupName?: string | undefined;
  /** LoggingConfig: with `JSON`, the runtime formats and filters application logs (AWS_LAMBDA_LOG_FORMAT / AWS_LAMBDA_LOG_LEVEL). */
  readonly logFormat?: 'Text' | 'JSON' | undefined;
  readonly applicationLogLevel?: string | undefined;
  readonly initializationType?: 'on-demand' | 'provisioned-concurrency' | 'snap-start' | undefined;
  readonly credentials?: Credentials | undefined;
  /** Code directory as the runtime sees it; `/var/task` in a sandbox (tests running without one pass a temp dir). */
  readonly taskRoot?: string | undefined;
  /** Platform additions that are not reserved, e.g. `AWS_ENDPOINT_URL_LAMBDA` pointing at Flint. */
  readonly platformVariables?: Readonly<Record<string, string>> | undefined;
}

/** Post: every variable of spec section 3 is present except AWS_LAMBDA_RUNTIME_API (the driver's) and _X_AMZN_TRACE_ID (per invoke). */
export function buildFunctionEnvironment(input: FunctionEnvironmentInput): Record<string, string> {
  const env: Record<string, string> = { ...input.baseEnv, ...input.platformVariables };
  for (const [key, value] of Object.entries(input.userVariables)) {
    if (!RESERVED_ENVIRONMENT_KEYS.includes(key)) env[key] = value;
  }
  const credentials = input.credentials ?? PLACEHOLDER_CREDENTIALS;
  const taskRoot = input.taskRoot ?? '/var/task';
  Object.assign(env, {
    _HANDLER: input.handler,
    LAMBDA_TASK_ROOT: taskRoot,
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    AWS_LAMBDA_FUNCTION_NAME: input.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(input.memorySizeMb),
    AWS_LAMBDA_FUNCTION_VERSION: input.version,
    AWS_REGION: input.region,
    AWS_DEFAULT_REGION: input.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${input.runtime.id}`,
    AWS_LAMBDA_INITIALIZATION_TYPE: input.initializationType ?? 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: input.logGroupName ?? `/aws/lambda/${input.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: input.logStreamName,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    AWS_XRAY_DAEMON_ADDRESS: '169.254.100.1:2000',
    _AWS_XRAY_DAEMON_ADDRESS: '169.254.100.1',
    _AWS_XRAY_DAEMON_PORT: '2000',
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
  });
  if (input.logFormat === 'JSON') {
    env['AWS_LAMBDA_LOG_FORMAT'] = 'JSON';
    env['AWS_LAMBDA_LOG_LEVEL'] = input.applicationLogLevel ?? 'INFO';
  }
  if (input.runtime.family === 'provided') delete env['AWS_EXECUTION_ENV']; // OS-only runtimes have none
  return env;
}

/**
 * Lambda's log stream name: `YYYY/MM/DD/[VERSION]<32 hex>`, dated in UTC.
 * Pre: `randomHex` is 32 lowercase hex characters (e.g. `randomBytes(16).toString('hex')`).
 */
export function logStreamName(nowMs: number, version: string, randomHex: string): string {
  if (!/^[0-9a-f]{32}$/.test(randomHex)) throw new Error('logStreamName: randomHex must be 32 hex characters');
  const date = new Date(nowMs).toISOString().slice(0, 10).replaceAll('-', '/');
  return `${date}/[${version}]${randomHex}`;
}
