/**
 * The input checks of each write operation, in Lambda's order: every model
 * constraint first (one ValidationException listing them all), then the
 * service's own rules (InvalidParameterValueException). Pure; no lookups.
 */
import { errors } from '../shared/index.ts';
import type { CodeSource, CreateFunctionCommand, FunctionSettings, UpdateFunctionCodeCommand } from './function-commands.ts';
import {
  architectureViolations,
  checkEnvironment,
  checkLayerCount,
  checkDeadLetterTarget,
  checkRuntime,
  functionNameViolations,
  roleViolations,
  settingsViolations,
} from './function-validation.ts';
import { checkTags } from './function-tags.ts';
import { assertNoViolations, constraint, enumViolations } from '../shared/index.ts';

/** The largest decoded ZipFile accepted inline (Lambda: 50 MB). */
export const MAX_ZIP_BYTES = 52_428_800;

export function checkCreateFunction(cmd: CreateFunctionCommand): void {
  assertNoViolations([
    ...functionNameViolations(cmd.functionName, 'write'),
    ...roleViolations(cmd.role, true),
    ...(cmd.code === undefined ? [{ value: undefined, member: 'code', constraint: constraint.notNull() }] : []),
    ...settingsViolations(cmd),
    ...architectureViolations(cmd.architectures),
    ...enumViolations('packageType', cmd.packageType, ['Zip', 'Image']),
  ]);
  if (cmd.packageType === 'Image') throw unsupportedSource('PackageType Image (container images)');
  if (cmd.runtime === undefined || cmd.handler === undefined) {
    throw errors.invalidParameter('Runtime and Handler are mandatory parameters for functions created with deployment packages.');
  }
  checkServiceRules(cmd);
  if (cmd.tags !== undefined) checkTags(cmd.tags);
}

export function checkConfigurationUpdate(settings: FunctionSettings): void {
  assertNoViolations([...roleViolations(settings.role, false), ...settingsViolations(settings)]);
  checkServiceRules(settings);
}

export function checkCodeUpdate(cmd: UpdateFunctionCodeCommand): void {
  assertNoViolations(architectureViolations(cmd.architectures));
}

/** The inline package of a request; S3 and image sources are refused until Flint supports them. */
export function zipFromSource(code: CodeSource | undefined): Buffer {
  if (code === undefined) throw errors.invalidParameter('Please provide a source for function code.');
  if (code.s3Bucket !== undefined || code.s3Key !== undefined) throw unsupportedSource('Code.S3Bucket / Code.S3Key (packages in Amazon S3)');
  if (code.imageUri !== undefined) throw unsupportedSource('ImageUri (container images)');
  if (code.zipFile === undefined) throw errors.invalidParameter('Please provide a source for function code.');
  return code.zipFile;
}

function checkServiceRules(s: FunctionSettings): void {
  if (s.runtime !== undefined) checkRuntime(s.runtime);
  if (s.environment !== undefined) checkEnvironment(s.environment);
  if (s.layers !== undefined) checkLayerCount(s.layers);
  if (s.deadLetterTargetArn !== undefined) checkDeadLetterTarget(s.deadLetterTargetArn);
}

function unsupportedSource(what: string) {
  return errors.invalidParameter(`${what} is not supported by Flint yet. Upload the deployment package inline as Code.ZipFile (up to 50 MB).`);
}
