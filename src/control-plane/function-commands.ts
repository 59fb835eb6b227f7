/**
 * Typed commands the routes hand to the FunctionService. Routes only translate
 * the wire (types, base64, query strings); every value rule lives in
 * `function-validation.ts` and the service. `functionName` is the caller's
 * spelling (name, partial ARN or full ARN), resolved by the service.
 */
import type { Architecture } from '../model/index.ts';

/** Settings shared by CreateFunction and UpdateFunctionConfiguration. Absent = not given. */
export interface FunctionSettings {
  readonly runtime?: string | undefined;
  readonly handler?: string | undefined;
  readonly role?: string | undefined;
  readonly description?: string | undefined;
  readonly timeoutSec?: number | undefined;
  readonly memorySizeMb?: number | undefined;
  readonly ephemeralStorageMb?: number | undefined;
  /** `Environment.Variables`; `{}` clears them. */
  readonly environment?: Readonly<Record<string, string>> | undefined;
  /** `KMSKeyArn`; `''` clears it. */
  readonly kmsKeyArn?: string | undefined;
  /** `DeadLetterConfig.TargetArn`; `''` (or a DeadLetterConfig without TargetArn) clears it. */
  readonly deadLetterTargetArn?: string | undefined;
  readonly layers?: readonly string[] | undefined;
  readonly tracingMode?: string | undefined;
  readonly loggingConfig?: LoggingConfigInput | undefined;
}

export interface LoggingConfigInput {
  readonly logFormat?: string | undefined;
  readonly applicationLogLevel?: string | undefined;
  readonly systemLogLevel?: string | undefined;
  readonly logGroup?: string | undefined;
}

/** Where the package comes from. Only an inline zip is supported; the rest are named so they can be refused clearly. */
export interface CodeSource {
  readonly zipFile?: Buffer | undefined;
  readonly s3Bucket?: string | undefined;
  readonly s3Key?: string | undefined;
  readonly imageUri?: string | undefined;
}

export interface CreateFunctionCommand extends FunctionSettings {
  readonly functionName: string | undefined;
  /** Undefined when the request has no `Code` member. */
  readonly code: CodeSource | undefined;
  readonly packageType?: string | undefined;
  readonly architectures?: readonly string[] | undefined;
  readonly tags?: Readonly<Record<string, string>> | undefined;
  readonly publish: boolean;
}

export interface UpdateFunctionConfigurationCommand extends FunctionSettings {
  readonly functionName: string;
  readonly revisionId?: string | undefined;
}

export interface UpdateFunctionCodeCommand {
  readonly functionName: string;
  readonly code: CodeSource;
  readonly architectures?: readonly string[] | undefined;
  readonly publish: boolean;
  readonly dryRun: boolean;
  readonly revisionId?: string | undefined;
}

export interface ListFunctionsQuery {
  readonly marker?: string | undefined;
  readonly maxItems?: number | undefined;
  /** `ALL` (the only value the model allows): every version row, not only `$LATEST`. */
  readonly functionVersion?: string | undefined;
  /** Lambda@Edge's `ALL` or a region name; checked against the model, then ignored (one region here). */
  readonly masterRegion?: string | undefined;
}

/** Architecture values as the API spells them. */
export const ARCHITECTURES: readonly Architecture[] = ['x86_64', 'arm64'];

export interface PublishVersionCommand {
  readonly functionName: string;
  /** Base64 SHA-256 the caller expects `$LATEST`'s package to have. */
  readonly codeSha256?: string | undefined;
  readonly description?: string | undefined;
  /** RevisionId the caller expects `$LATEST` to have. */
  readonly revisionId?: string | undefined;
}
