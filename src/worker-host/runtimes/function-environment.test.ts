import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cellTemplate, type RuntimePaths } from './cell-template.ts';
import { buildFunctionEnvironment, logStreamName, PLACEHOLDER_CREDENTIALS } from './function-environment.ts';
import { findRuntime, requiredNodeMajors, RUNTIMES } from './runtime-catalog.ts';

const paths: RuntimePaths = { nodeStoreDir: '/store', sandboxRuntimeDir: '/flint/src/sandbox-runtime', pythonBinary: '/usr/bin/python3' };

describe('runtime catalog', () => {
  const cases: Array<[string, string | undefined, number | undefined, boolean]> = [
    ['nodejs18.x', 'nodejs', 20, true],
    ['nodejs20.x', 'nodejs', 20, false],
    ['nodejs22.x', 'nodejs', 22, false],
    ['nodejs24.x', 'nodejs', 24, false],
    ['python3.9', 'python', undefined, true],
    ['python3.13', 'python', undefined, true],
    ['provided.al2', 'provided', undefined, false],
    ['provided.al2023', 'provided', undefined, false],
    ['java21', undefined, undefined, false],
    ['toString', undefined, undefined, false],
  ];
  for (const [id, family, nodeMajor, standIn] of cases) {
    it(`maps ${id} to ${family ?? 'nothing'}${nodeMajor ? ` on Node ${nodeMajor}` : ''}${standIn ? ' (stand-in)' : ''}`, () => {
      const def = findRuntime(id);
      assert.equal(def?.family, family);
      assert.equal(def?.nodeMajor, nodeMajor);
      assert.equal(def?.standIn !== undefined, standIn);
    });
  }
  it('needs Node 20, 22 and 24 in the runtime store', () => assert.deepEqual(requiredNodeMajors(), [20, 22, 24]));
});

describe('cell templates', () => {
  const cases: Array<[string, Record<string, string>, string[], Record<string, string>]> = [
    ['nodejs22.x',
      { '/var/lang/bin': '/store/node22/bin', '/var/runtime': '/flint/src/sandbox-runtime/nodejs', '/var/runtime/node_modules': '/store/aws-sdk/node_modules' },
      ['/var/lang/bin/node', '/var/runtime/bootstrap.mjs'],
      { NODE_PATH: '/opt/nodejs/node22/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task' }],
    ['python3.12', { '/var/runtime': '/flint/src/sandbox-runtime/python' }, ['/usr/bin/python3', '/var/runtime/bootstrap.py'], { PYTHONPATH: '/var/runtime' }],
    ['provided.al2023', { '/var/runtime': '/flint/src/sandbox-runtime/provided' }, ['/bin/bash', '/var/runtime/cell.sh'], { SHLVL: '0' }],
  ];
  for (const [id, mounts, command, extraEnv] of cases) {
    it(`starts a ${id} cell with its mounts, command and Lambda's base environment`, () => {
      const template = cellTemplate(RUNTIMES[id]!, paths);
      assert.deepEqual(template.runtimeMounts, mounts);
      assert.deepEqual(template.command, command);
      assert.equal(template.env['PATH'], '/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin');
      assert.equal(template.env['LANG'], 'en_US.UTF-8');
      assert.equal(template.env['TZ'], ':UTC');
      assert.equal(template.env['LD_LIBRARY_PATH'], '/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib');
      for (const [key, value] of Object.entries(extraEnv)) assert.equal(template.env[key], value);
      assert.equal(template.env['AWS_LAMBDA_RUNTIME_API'], undefined, 'the driver sets the Runtime API address');
    });
  }
});

describe('buildFunctionEnvironment', () => {
  const runtime = RUNTIMES['nodejs20.x']!;
  const env = buildFunctionEnvironment({
    runtime, baseEnv: cellTemplate(runtime, paths).env, functionName: 'my-fn', version: '$LATEST', handler: 'index.handler',
    memorySizeMb: 1024, region: 'eu-west-1', logStreamName: '2026/01/12/[$LATEST]0123456789abcdef0123456789abcdef',
    userVariables: { TEST_KEY: 'TEST_VAL', AWS_REGION: 'us-east-1', TZ: 'Europe/Paris' },
  });
  const expected: Array<[string, string | undefined]> = [
    ['_HANDLER', 'index.handler'],
    ['LAMBDA_TASK_ROOT', '/var/task'],
    ['LAMBDA_RUNTIME_DIR', '/var/runtime'],
    ['AWS_LAMBDA_FUNCTION_NAME', 'my-fn'],
    ['AWS_LAMBDA_FUNCTION_MEMORY_SIZE', '1024'],
    ['AWS_LAMBDA_FUNCTION_VERSION', '$LATEST'],
    ['AWS_REGION', 'eu-west-1'],
    ['AWS_DEFAULT_REGION', 'eu-west-1'],
    ['AWS_EXECUTION_ENV', 'AWS_Lambda_nodejs20.x'],
    ['AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand'],
    ['AWS_LAMBDA_LOG_GROUP_NAME', '/aws/lambda/my-fn'],
    ['AWS_LAMBDA_LOG_STREAM_NAME', '2026/01/12/[$LATEST]0123456789abcdef0123456789abcdef'],
    ['AWS_ACCESS_KEY_ID', PLACEHOLDER_CREDENTIALS.accessKeyId],
    ['AWS_SESSION_TOKEN', PLACEHOLDER_CREDENTIALS.sessionToken],
    ['AWS_XRAY_DAEMON_ADDRESS', '169.254.100.1:2000'],
    ['TEST_KEY', 'TEST_VAL'],
    ['TZ', 'Europe/Paris'],
    ['LANG', 'en_US.UTF-8'],
    ['PATH', '/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin'],
    ['AWS_LAMBDA_RUNTIME_API', undefined],
    ['AWS_LAMBDA_LOG_FORMAT', undefined],
    ['AWS_LAMBDA_LOG_LEVEL', undefined],
  ];
  for (const [key, value] of expected) {
    it(`sets ${key} to ${value ?? 'nothing'}`, () => assert.equal(env[key], value));
  }
  it('tells the runtime of JSON logs and their application log level (a user value of those keys gives way)', () => {
    const json = buildFunctionEnvironment({
      runtime, baseEnv: {}, functionName: 'f', version: '1', handler: 'index.handler', memorySizeMb: 128, region: 'us-east-1', logStreamName: 's',
      userVariables: { AWS_LAMBDA_LOG_LEVEL: 'TRACE' }, logFormat: 'JSON', applicationLogLevel: 'WARN',
    });
    assert.deepEqual([json['AWS_LAMBDA_LOG_FORMAT'], json['AWS_LAMBDA_LOG_LEVEL']], ['JSON', 'WARN']);
  });
  it('gives OS-only runtimes no AWS_EXECUTION_ENV', () => {
    const provided = RUNTIMES['provided.al2']!;
    const penv = buildFunctionEnvironment({
      runtime: provided, baseEnv: {}, functionName: 'f', version: '3', handler: 'function.handler', memorySizeMb: 128,
      region: 'us-east-1', logStreamName: 's', userVariables: {},
    });
    assert.equal(penv['AWS_EXECUTION_ENV'], undefined);
    assert.equal(penv['AWS_LAMBDA_FUNCTION_VERSION'], '3');
  });
});

describe('logStreamName', () => {
  const cases: Array<[number, string, string]> = [
    [Date.UTC(2026, 0, 12, 23, 59), '$LATEST', '2026/01/12/[$LATEST]0123456789abcdef0123456789abcdef'],
    [Date.UTC(2024, 11, 31), '7', '2024/12/31/[7]0123456789abcdef0123456789abcdef'],
  ];
  for (const [now, version, expected] of cases) {
    it(`names the stream ${expected}`, () => assert.equal(logStreamName(now, version, '0123456789abcdef0123456789abcdef'), expected));
  }
  it('refuses a suffix that is not 32 hex characters', () => assert.throws(() => logStreamName(0, '$LATEST', 'xyz')));
});
