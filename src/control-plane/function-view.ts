/**
 * Renders a FunctionVersionConfig as Lambda's `FunctionConfiguration` JSON, with
 * the members real Lambda returns (recorded responses in the spec), and the
 * GetFunction envelope around it.
 */
import { createHash } from 'node:crypto';
import { LATEST, type FunctionVersionConfig } from '../model/index.ts';
import { functionArn, lambdaTimestamp, type Account } from '../shared/index.ts';
import type { FunctionRecord } from '../model/index.ts';
import { CREATING_REASON, CREATING_REASON_CODE, lifecycleOf } from './function-state.ts';

export interface ViewOptions {
  readonly account: Account;
  /** Qualify the ARN of `$LATEST` too (when the caller asked with a qualifier); numbered versions always are. */
  readonly qualifiedArn?: boolean;
  /** ListFunctions returns the configuration without State / LastUpdateStatus members. */
  readonly forList?: boolean;
  /** Read through an alias: the ARN carries the alias name. */
  readonly aliasName?: string | undefined;
  /** CreateFunction with Publish answers version 1 under the unqualified ARN (as Lambda does). */
  readonly unqualifiedArn?: boolean;
}

export type FunctionConfigurationJson = Record<string, unknown>;

export function codeSha256Base64(sha256Hex: string): string {
  return Buffer.from(sha256Hex, 'hex').toString('base64');
}

export function renderFunctionConfiguration(c: FunctionVersionConfig, options: ViewOptions): FunctionConfigurationJson {
  return {
    FunctionName: c.functionName,
    FunctionArn: functionArn(options.account, c.functionName, arnQualifier(c, options)),
    ...(c.runtime !== undefined ? { Runtime: c.runtime } : {}),
    Role: c.role,
    ...(c.handler !== undefined ? { Handler: c.handler } : {}),
    CodeSize: c.codeSize,
    Description: c.description,
    Timeout: c.timeoutSec,
    MemorySize: c.memorySizeMb,
    LastModified: lambdaTimestamp(c.lastModifiedMs),
    CodeSha256: codeSha256Base64(c.codeSha256Hex),
    Version: c.version,
    ...(Object.keys(c.environment).length > 0 ? { Environment: { Variables: { ...c.environment } } } : {}),
    ...(c.kmsKeyArn ? { KMSKeyArn: c.kmsKeyArn } : {}),
    ...(c.deadLetterTargetArn ? { DeadLetterConfig: { TargetArn: c.deadLetterTargetArn } } : {}),
    TracingConfig: { Mode: c.tracingMode },
    RevisionId: c.revisionId,
    ...(c.layers.length > 0 ? { Layers: c.layers.map((l) => ({ Arn: l.arn, CodeSize: l.codeSize })) } : {}),
    ...(options.forList ? {} : statusMembers(c)),
    PackageType: c.packageType,
    Architectures: [...c.architectures],
    EphemeralStorage: { Size: c.ephemeralStorageMb },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    ...(c.runtime !== undefined ? { RuntimeVersionConfig: { RuntimeVersionArn: runtimeVersionArn(options.account, c.runtime) } } : {}),
    LoggingConfig: { ...c.loggingConfig },
  };
}

function arnQualifier(c: FunctionVersionConfig, options: ViewOptions): string | undefined {
  if (options.unqualifiedArn === true) return undefined;
  if (options.aliasName !== undefined) return options.aliasName;
  return c.version !== LATEST || options.qualifiedArn === true ? c.version : undefined;
}

/** State while creating (no LastUpdateStatus yet, as Lambda answers CreateFunction); both members afterwards. */
function statusMembers(c: FunctionVersionConfig): Record<string, string> {
  switch (lifecycleOf(c)) {
    case 'creating':
      return { State: 'Pending', StateReason: CREATING_REASON, StateReasonCode: CREATING_REASON_CODE };
    case 'updating':
      return {
        State: c.state,
        LastUpdateStatus: 'InProgress',
        LastUpdateStatusReason: CREATING_REASON,
        LastUpdateStatusReasonCode: CREATING_REASON_CODE,
      };
    case 'ready':
      return { State: c.state, LastUpdateStatus: c.lastUpdateStatus };
  }
}

/** A stable per-runtime ARN in Lambda's shape (`arn:aws:lambda:REGION::runtime:<64 hex>`). */
function runtimeVersionArn(account: Account, runtime: string): string {
  const id = createHash('sha256').update(`flint-runtime:${runtime}`).digest('hex');
  return `arn:aws:lambda:${account.region}::runtime:${id}`;
}

export interface GetFunctionView {
  readonly fn: FunctionRecord;
  readonly config: FunctionVersionConfig;
  readonly codeLocation: string;
  readonly qualifiedArn: boolean;
  readonly aliasName?: string | undefined;
}

/** GetFunction: Configuration, Code (a presigned-style URL), Tags when any, Concurrency when reserved. */
export function renderGetFunction(view: GetFunctionView, account: Account): Record<string, unknown> {
  const { fn, config } = view;
  return {
    Configuration: renderFunctionConfiguration(config, { account, qualifiedArn: view.qualifiedArn, aliasName: view.aliasName }),
    Code: { RepositoryType: 'S3', Location: view.codeLocation },
    ...(Object.keys(fn.tags).length > 0 ? { Tags: { ...fn.tags } } : {}),
    ...(fn.reservedConcurrency !== undefined ? { Concurrency: { ReservedConcurrentExecutions: fn.reservedConcurrency } } : {}),
  };
}
