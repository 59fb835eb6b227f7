/**
 * Pure construction of FunctionVersionConfig values: a new `$LATEST` from
 * CreateFunction (with Lambda's defaults), and the next `$LATEST` after a
 * configuration or code update. Inputs are already validated.
 */
import type { Architecture, FunctionVersionConfig, LayerRef, LoggingConfig } from '../model/index.ts';
import { LATEST } from '../model/index.ts';
import { errors } from '../shared/index.ts';
import type { CreateFunctionCommand, FunctionSettings, LoggingConfigInput } from './function-commands.ts';
import { STATUS_OF, beginUpdate } from './function-state.ts';

export const DEFAULTS = Object.freeze({
  timeoutSec: 3,
  memorySizeMb: 128,
  ephemeralStorageMb: 512,
  architecture: 'x86_64' as Architecture,
  tracingMode: 'PassThrough' as const,
  logLevel: 'INFO',
});

/** What every write stamps on the version it produces. */
export interface WriteStamp {
  readonly nowMs: number;
  readonly revisionId: string;
}

export interface PackageRef {
  readonly sha256Hex: string;
  readonly size: number;
  /** Bytes unzipped (counted with the layers' under the 250 MB quota). */
  readonly unzippedBytes?: number | undefined;
}

/** `layers`: the command's `Layers`, resolved (LayerService.resolveFunctionLayers). */
export function newLatestConfig(name: string, cmd: CreateFunctionCommand, code: PackageRef, stamp: WriteStamp, layers: readonly LayerRef[] = []): FunctionVersionConfig {
  return {
    functionName: name,
    version: LATEST,
    runtime: cmd.runtime,
    handler: cmd.handler,
    role: cmd.role ?? '',
    description: cmd.description ?? '',
    timeoutSec: cmd.timeoutSec ?? DEFAULTS.timeoutSec,
    memorySizeMb: cmd.memorySizeMb ?? DEFAULTS.memorySizeMb,
    ephemeralStorageMb: cmd.ephemeralStorageMb ?? DEFAULTS.ephemeralStorageMb,
    environment: { ...(cmd.environment ?? {}) },
    ...(cmd.kmsKeyArn ? { kmsKeyArn: cmd.kmsKeyArn } : {}),
    ...(cmd.deadLetterTargetArn ? { deadLetterTargetArn: cmd.deadLetterTargetArn } : {}),
    architectures: [(cmd.architectures?.[0] as Architecture | undefined) ?? DEFAULTS.architecture],
    layers: [...layers],
    packageType: 'Zip',
    loggingConfig: mergeLoggingConfig(undefined, cmd.loggingConfig, name),
    tracingMode: (cmd.tracingMode as FunctionVersionConfig['tracingMode'] | undefined) ?? DEFAULTS.tracingMode,
    codeSha256Hex: code.sha256Hex,
    codeSize: code.size,
    ...(code.unzippedBytes !== undefined ? { codeUnzippedBytes: code.unzippedBytes } : {}),
    revisionId: stamp.revisionId,
    lastModifiedMs: stamp.nowMs,
    ...STATUS_OF.creating,
  };
}

/** UpdateFunctionConfiguration: members given replace the current ones; absent members stay. `layers`: `s.layers` resolved, when given. */
export function applySettings(current: FunctionVersionConfig, s: FunctionSettings, stamp: WriteStamp, layers?: readonly LayerRef[]): FunctionVersionConfig {
  return {
    ...current,
    runtime: s.runtime ?? current.runtime,
    handler: s.handler ?? current.handler,
    role: s.role ?? current.role,
    description: s.description ?? current.description,
    timeoutSec: s.timeoutSec ?? current.timeoutSec,
    memorySizeMb: s.memorySizeMb ?? current.memorySizeMb,
    ephemeralStorageMb: s.ephemeralStorageMb ?? current.ephemeralStorageMb,
    environment: s.environment !== undefined ? { ...s.environment } : current.environment,
    kmsKeyArn: s.kmsKeyArn !== undefined ? s.kmsKeyArn || undefined : current.kmsKeyArn,
    deadLetterTargetArn: s.deadLetterTargetArn !== undefined ? s.deadLetterTargetArn || undefined : current.deadLetterTargetArn,
    layers: layers !== undefined ? [...layers] : current.layers,
    tracingMode: (s.tracingMode as FunctionVersionConfig['tracingMode'] | undefined) ?? current.tracingMode,
    loggingConfig: mergeLoggingConfig(current.loggingConfig, s.loggingConfig, current.functionName),
    revisionId: stamp.revisionId,
    lastModifiedMs: stamp.nowMs,
    ...beginUpdate(current),
  };
}

/** UpdateFunctionCode: a new package (and optionally architecture). */
export function applyCode(current: FunctionVersionConfig, code: PackageRef, architectures: readonly string[] | undefined, stamp: WriteStamp): FunctionVersionConfig {
  return {
    ...current,
    codeSha256Hex: code.sha256Hex,
    codeSize: code.size,
    codeUnzippedBytes: code.unzippedBytes,
    architectures: architectures !== undefined ? [architectures[0] as Architecture] : current.architectures,
    revisionId: stamp.revisionId,
    lastModifiedMs: stamp.nowMs,
    ...beginUpdate(current),
  };
}

/** Lambda's answer to a log level asked for with (or kept in) the Text format. */
export const TEXT_LOG_LEVEL_MESSAGE =
  'LogLevel is not supported when LogFormat is set to "Text". Remove LogLevel from your request or change the LogFormat to "Json" and try again.';

/** Log levels exist only with JSON logs (Lambda then defaults both to INFO); LogGroup defaults to `/aws/lambda/NAME`. */
export function mergeLoggingConfig(current: LoggingConfig | undefined, input: LoggingConfigInput | undefined, name: string): LoggingConfig {
  const format = (input?.logFormat ?? current?.LogFormat ?? 'Text') as LoggingConfig['LogFormat'];
  const logGroup = input?.logGroup ?? current?.LogGroup ?? `/aws/lambda/${name}`;
  if (format === 'Text') {
    if (input?.applicationLogLevel !== undefined || input?.systemLogLevel !== undefined) throw errors.invalidParameter(TEXT_LOG_LEVEL_MESSAGE);
    return { LogFormat: format, LogGroup: logGroup };
  }
  return {
    LogFormat: format,
    ApplicationLogLevel: input?.applicationLogLevel ?? current?.ApplicationLogLevel ?? DEFAULTS.logLevel,
    SystemLogLevel: input?.systemLogLevel ?? current?.SystemLogLevel ?? DEFAULTS.logLevel,
    LogGroup: logGroup,
  };
}
