import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../shared/index.ts';
import {
  architectureViolations,
  checkDeadLetterTarget,
  checkEnvironment,
  checkNameLength,
  checkRuntime,
  functionNameViolations,
  handlerViolations,
  roleViolations,
  settingsViolations,
} from './function-validation.ts';
import { checkCreateFunction, zipFromSource } from './request-checks.ts';
import { mergeLoggingConfig, TEXT_LOG_LEVEL_MESSAGE } from './function-config-builder.ts';
import { describeViolation, validationException, type Violation } from '../shared/index.ts';
import type { CreateFunctionCommand } from './function-commands.ts';

const texts = (vs: Violation[]): string[] => vs.map(describeViolation);

function assertApiError(fn: () => unknown, code: string, message: string | RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ApiError, `expected ApiError, got ${String(err)}`);
    assert.equal(err.code, code);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

describe('function name checks', () => {
  const cases: Array<[string, string | undefined, 'write' | 'read', string[]]> = [
    ['accepts a plain name', 'my-function_1', 'write', []],
    ['accepts a full ARN', 'arn:aws:lambda:us-east-1:123456789012:function:f', 'write', []],
    ['accepts a partial ARN', '123456789012:function:f', 'write', []],
    ['accepts a qualified ARN', 'arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST', 'write', []],
    ['accepts dots when reading', 'my.function', 'read', []],
    [
      'refuses dots when writing',
      'my.function',
      'write',
      ["Value 'my.function' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?"],
    ],
    ['reports a missing name as null', undefined, 'write', ["Value null at 'functionName' failed to satisfy constraint: Member must not be null"]],
    ['refuses an empty name', '', 'write', ["Value '' at 'functionName' failed to satisfy constraint: Member must have length greater than or equal to 1", "Value '' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?"]],
  ];
  for (const [name, value, op, expected] of cases) {
    it(name, () => assert.deepEqual(texts(functionNameViolations(value, op)), expected));
  }

  it('refuses names over 140 characters when writing, with the length constraint', () => {
    const v = functionNameViolations('a'.repeat(141), 'write');
    assert.deepEqual(v.map((x) => x.constraint), ['Member must have length less than or equal to 140']);
  });

  it('refuses bare names over 64 characters with the text Lambda uses', () => {
    assertApiError(() => checkNameLength('a'.repeat(65)), 'InvalidParameterValueException', `1 validation error detected: Value '${'a'.repeat(65)}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64`);
    assert.doesNotThrow(() => checkNameLength('a'.repeat(64)));
  });
});

describe('member checks', () => {
  const cases: Array<[string, () => Violation[], string[]]> = [
    ['accepts a role ARN', () => roleViolations('arn:aws:iam::123456789012:role/service-role/x', true), []],
    ['requires a role when creating', () => roleViolations(undefined, true), ["Value null at 'role' failed to satisfy constraint: Member must not be null"]],
    ['lets updates omit the role', () => roleViolations(undefined, false), []],
    ['refuses a malformed role', () => roleViolations('bad', true), ["Value 'bad' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+"]],
    ['refuses a handler with spaces', () => handlerViolations('index handler'), ["Value 'index handler' at 'handler' failed to satisfy constraint: Member must satisfy regular expression pattern: [^\\s]+"]],
    ['refuses a handler over 128 characters', () => handlerViolations('h'.repeat(129)), [`Value '${'h'.repeat(129)}' at 'handler' failed to satisfy constraint: Member must have length less than or equal to 128`]],
    ['refuses two architectures', () => architectureViolations(['x86_64', 'arm64']), ["Value '[x86_64, arm64]' at 'architectures' failed to satisfy constraint: Member must have length less than or equal to 1"]],
    ['refuses an unknown architecture', () => architectureViolations(['sparc']), ["Value '[sparc]' at 'architectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]"]],
    ['accepts arm64', () => architectureViolations(['arm64']), []],
    ['refuses memory below 128', () => settingsViolations({ memorySizeMb: 127 }), ["Value '127' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128"]],
    ['refuses memory above 10240', () => settingsViolations({ memorySizeMb: 10241 }), ["Value '10241' at 'memorySize' failed to satisfy constraint: Member must have value less than or equal to 10240"]],
    ['refuses a zero timeout', () => settingsViolations({ timeoutSec: 0 }), ["Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1"]],
    ['refuses a timeout above 900', () => settingsViolations({ timeoutSec: 901 }), ["Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900"]],
    ['refuses ephemeral storage below 512', () => settingsViolations({ ephemeralStorageMb: 511 }), ["Value '511' at 'ephemeralStorage.size' failed to satisfy constraint: Member must have value greater than or equal to 512"]],
    ['refuses ephemeral storage above 10240', () => settingsViolations({ ephemeralStorageMb: 10241 }), ["Value '10241' at 'ephemeralStorage.size' failed to satisfy constraint: Member must have value less than or equal to 10240"]],
    ['accepts the limits themselves', () => settingsViolations({ memorySizeMb: 10240, timeoutSec: 900, ephemeralStorageMb: 10240 }), []],
    ['refuses a description over 256 characters', () => settingsViolations({ description: 'd'.repeat(257) }), [`Value '${'d'.repeat(257)}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 256`]],
    ['refuses an unknown tracing mode', () => settingsViolations({ tracingMode: 'On' }), ["Value 'On' at 'tracingConfig.mode' failed to satisfy constraint: Member must satisfy enum value set: [Active, PassThrough]"]],
    ['refuses an unknown log format', () => settingsViolations({ loggingConfig: { logFormat: 'XML' } }), ["Value 'XML' at 'loggingConfig.logFormat' failed to satisfy constraint: Member must satisfy enum value set: [JSON, Text]"]],
    ['accepts a dead-letter queue ARN, and an empty one (which clears it)', () => [...settingsViolations({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dlq' }), ...settingsViolations({ deadLetterTargetArn: '' })], []],
    ['refuses a dead-letter target that is not an ARN', () => settingsViolations({ deadLetterTargetArn: 'dlq' }), ["Value 'dlq' at 'deadLetterConfig.targetArn' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()"]],
    ['refuses environment keys outside the pattern', () => settingsViolations({ environment: { '1BAD': 'x', GOOD: 'y' } }), ["Value '[1BAD]' at 'environment.variables' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]"]],
  ];
  for (const [name, run, expected] of cases) {
    it(name, () => assert.deepEqual(texts(run()), expected));
  }

  it('refuses a malformed layer ARN', () => {
    const [v] = texts(settingsViolations({ layers: ['nope'] }));
    assert.match(v!, /^Value '\[nope\]' at 'layers' failed to satisfy constraint: Member must satisfy constraint: \[.*regular expression pattern: arn:/);
  });

  it('gathers several violations into one ValidationException', () => {
    const err = validationException(settingsViolations({ memorySizeMb: 1, timeoutSec: 0 }));
    assert.equal(err.code, 'ValidationException');
    assert.match(err.message, /^2 validation errors detected: Value '0' at 'timeout'.*; Value '1' at 'memorySize'/);
  });
});

describe('service rules', () => {
  it('refuses an unsupported runtime with the enum list and "or be a valid ARN"', () => {
    assertApiError(() => checkRuntime('nodejs8.10'), 'InvalidParameterValueException', /^Value nodejs8\.10 at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: \[nodejs18\.x, .*provided\.al2023\] or be a valid ARN$/);
  });

  for (const runtime of ['nodejs18.x', 'nodejs20.x', 'nodejs22.x', 'nodejs24.x', 'python3.9', 'python3.13', 'provided.al2', 'provided.al2023']) {
    it(`accepts runtime ${runtime}`, () => assert.doesNotThrow(() => checkRuntime(runtime)));
  }

  it('takes SQS dead-letter targets and refuses SNS topics and other ARNs clearly', () => {
    assert.doesNotThrow(() => checkDeadLetterTarget('arn:aws:sqs:us-east-1:000000000000:dlq'));
    assert.doesNotThrow(() => checkDeadLetterTarget(''));
    assertApiError(() => checkDeadLetterTarget('arn:aws:sns:us-east-1:000000000000:t'), 'InvalidParameterValueException', /^Flint doesn't support Amazon SNS topic dead-letter targets \(arn:aws:sns:us-east-1:000000000000:t\)\. Only Amazon SQS queue ARNs/);
    assertApiError(() => checkDeadLetterTarget('arn:aws:s3:::bucket'), 'InvalidParameterValueException', /^Flint doesn't support dead-letter targets other than SQS queues/);
  });

  it('refuses reserved environment keys, naming them in request order', () => {
    assertApiError(
      () => checkEnvironment({ AWS_REGION: 'x', OK: 'y', AWS_ACCESS_KEY_ID: 'z' }),
      'InvalidParameterValueException',
      'Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: AWS_REGION, AWS_ACCESS_KEY_ID',
    );
  });

  it('refuses environment variables over 4 KB, quoting the measured string', () => {
    const vars = { BIG: 'x'.repeat(4096) };
    assertApiError(() => checkEnvironment(vars), 'InvalidParameterValueException', `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${JSON.stringify(vars)}`);
    assert.doesNotThrow(() => checkEnvironment({ OK: 'x'.repeat(4000) }));
  });

  it('refuses S3 and image sources clearly, and a request without code', () => {
    assertApiError(() => zipFromSource({ s3Bucket: 'b', s3Key: 'k' }), 'InvalidParameterValueException', /S3Bucket.*not supported by Flint yet/);
    assertApiError(() => zipFromSource({ imageUri: 'x' }), 'InvalidParameterValueException', /ImageUri.*not supported by Flint yet/);
    assertApiError(() => zipFromSource({}), 'InvalidParameterValueException', 'Please provide a source for function code.');
  });

  const create = (over: Partial<CreateFunctionCommand>): CreateFunctionCommand => ({
    functionName: 'f',
    role: 'arn:aws:iam::123456789012:role/r',
    runtime: 'nodejs22.x',
    handler: 'index.handler',
    code: { zipFile: Buffer.from('zip') },
    publish: false,
    ...over,
  });

  it('refuses a log level with the Text log format (asked for or kept), and keeps levels with JSON', () => {
    assertApiError(() => mergeLoggingConfig(undefined, { applicationLogLevel: 'DEBUG' }, 'f'), 'InvalidParameterValueException', TEXT_LOG_LEVEL_MESSAGE);
    assertApiError(() => mergeLoggingConfig(undefined, { logFormat: 'Text', systemLogLevel: 'WARN' }, 'f'), 'InvalidParameterValueException', TEXT_LOG_LEVEL_MESSAGE);
    const json = mergeLoggingConfig(undefined, { logFormat: 'JSON', applicationLogLevel: 'DEBUG' }, 'f');
    assert.deepEqual(json, { LogFormat: 'JSON', ApplicationLogLevel: 'DEBUG', SystemLogLevel: 'INFO', LogGroup: '/aws/lambda/f' });
    assert.deepEqual(mergeLoggingConfig(json, { systemLogLevel: 'WARN' }, 'f'), { ...json, SystemLogLevel: 'WARN' });
    assert.deepEqual(mergeLoggingConfig(json, { logFormat: 'Text' }, 'f'), { LogFormat: 'Text', LogGroup: '/aws/lambda/f' });
  });

  it('requires Runtime and Handler for zip packages', () => {
    assertApiError(() => checkCreateFunction(create({ handler: undefined })), 'InvalidParameterValueException', 'Runtime and Handler are mandatory parameters for functions created with deployment packages.');
  });

  it('reports model violations before service rules', () => {
    assertApiError(() => checkCreateFunction(create({ runtime: 'cobol', memorySizeMb: 1 })), 'ValidationException', /^1 validation error detected: Value '1' at 'memorySize'/);
  });

  it('reports a missing Code member as null', () => {
    assertApiError(() => checkCreateFunction(create({ code: undefined })), 'ValidationException', "1 validation error detected: Value null at 'code' failed to satisfy constraint: Member must not be null");
  });
});
