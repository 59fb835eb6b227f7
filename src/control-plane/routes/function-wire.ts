/**
 * Wire shapes of the function write operations (member names and types as in
 * the 2015-03-31 model) and their translation into typed commands.
 */
import { z } from 'zod';
import type { CodeSource, FunctionSettings } from '../function-commands.ts';
import { decodeZipFile, int, stringMap } from './wire.ts';

const settingsShape = {
  Runtime: z.string().optional(),
  Role: z.string().optional(),
  Handler: z.string().optional(),
  Description: z.string().optional(),
  Timeout: int.optional(),
  MemorySize: int.optional(),
  Environment: z.object({ Variables: stringMap.optional() }).optional(),
  KMSKeyArn: z.string().optional(),
  DeadLetterConfig: z.object({ TargetArn: z.string().optional() }).optional(),
  TracingConfig: z.object({ Mode: z.string().optional() }).optional(),
  Layers: z.array(z.string()).optional(),
  EphemeralStorage: z.object({ Size: int }).optional(),
  LoggingConfig: z
    .object({
      LogFormat: z.string().optional(),
      ApplicationLogLevel: z.string().optional(),
      SystemLogLevel: z.string().optional(),
      LogGroup: z.string().optional(),
    })
    .optional(),
};

const codeShape = {
  ZipFile: z.string().optional(),
  S3Bucket: z.string().optional(),
  S3Key: z.string().optional(),
  S3ObjectVersion: z.string().optional(),
  ImageUri: z.string().optional(),
};

export const CreateFunctionBody = z.object({
  FunctionName: z.string().optional(),
  Code: z.object(codeShape).optional(),
  PackageType: z.string().optional(),
  Architectures: z.array(z.string()).optional(),
  Tags: stringMap.optional(),
  Publish: z.boolean().optional(),
  ...settingsShape,
});

export const UpdateFunctionConfigurationBody = z.object({ RevisionId: z.string().optional(), ...settingsShape });

export const UpdateFunctionCodeBody = z.object({
  ...codeShape,
  Architectures: z.array(z.string()).optional(),
  Publish: z.boolean().optional(),
  DryRun: z.boolean().optional(),
  RevisionId: z.string().optional(),
});

type SettingsBody = z.infer<typeof UpdateFunctionConfigurationBody>;
type CodeBody = z.infer<z.ZodObject<typeof codeShape>>;

export function settingsFromBody(b: SettingsBody): FunctionSettings {
  const log = b.LoggingConfig;
  return {
    runtime: b.Runtime,
    handler: b.Handler,
    role: b.Role,
    description: b.Description,
    timeoutSec: b.Timeout,
    memorySizeMb: b.MemorySize,
    ephemeralStorageMb: b.EphemeralStorage?.Size,
    environment: b.Environment === undefined ? undefined : (b.Environment.Variables ?? {}),
    kmsKeyArn: b.KMSKeyArn,
    deadLetterTargetArn: b.DeadLetterConfig === undefined ? undefined : (b.DeadLetterConfig.TargetArn ?? ''),
    layers: b.Layers,
    tracingMode: b.TracingConfig?.Mode,
    loggingConfig: log && {
      logFormat: log.LogFormat,
      applicationLogLevel: log.ApplicationLogLevel,
      systemLogLevel: log.SystemLogLevel,
      logGroup: log.LogGroup,
    },
  };
}

export function codeFromBody(b: CodeBody, operation: string): CodeSource {
  return { zipFile: decodeZipFile(b.ZipFile, operation), s3Bucket: b.S3Bucket, s3Key: b.S3Key, imageUri: b.ImageUri };
}
