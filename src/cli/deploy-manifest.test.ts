import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_ROLE, functionSettings, ManifestError, parseManifest, urlSettings } from './deploy-manifest.ts';

test('maps flint.json onto the Lambda API members, leaving unset ones to Lambda defaults', () => {
  const m = parseManifest(JSON.stringify({ runtime: 'nodejs22.x', handler: 'index.handler', memory: 256, environment: { STAGE: 'dev' } }), 'flint.json');
  assert.deepEqual(functionSettings(m), { Runtime: 'nodejs22.x', Handler: 'index.handler', Role: DEFAULT_ROLE, MemorySize: 256, Environment: { Variables: { STAGE: 'dev' } } });
  const full = parseManifest(JSON.stringify({ runtime: 'python3.12', handler: 'app.handler', timeout: 30, description: 'd', layers: ['arn:l:1'], role: 'arn:aws:iam::123456789012:role/r' }), 'f');
  assert.deepEqual(functionSettings(full), { Runtime: 'python3.12', Handler: 'app.handler', Role: 'arn:aws:iam::123456789012:role/r', Timeout: 30, Description: 'd', Layers: ['arn:l:1'] });
});

test('maps the url member onto FunctionUrlConfig members', () => {
  assert.deepEqual(urlSettings(true), { AuthType: 'NONE' });
  assert.deepEqual(urlSettings({ authType: 'AWS_IAM', invokeMode: 'RESPONSE_STREAM', cors: { allowOrigins: ['*'], maxAge: 60, allowCredentials: false } }), {
    AuthType: 'AWS_IAM',
    InvokeMode: 'RESPONSE_STREAM',
    Cors: { AllowOrigins: ['*'], AllowCredentials: false, MaxAge: 60 },
  });
});

test('refuses a manifest that is not JSON, lacks runtime or handler, has a wrongly typed or unknown member, naming file and member', () => {
  const refused = (text: string, message: RegExp) => assert.throws(() => parseManifest(text, 'dir/flint.json'), (err: unknown) => err instanceof ManifestError && message.test(err.message));
  refused('{ runtime: ', /^dir\/flint\.json is not JSON: /);
  refused(JSON.stringify({ handler: 'index.handler' }), /^dir\/flint\.json at runtime: /);
  refused(JSON.stringify({ runtime: 'nodejs22.x', handler: 'i.h', memory: '256' }), /^dir\/flint\.json at memory: /);
  refused(JSON.stringify({ runtime: 'nodejs22.x', handler: 'i.h', memorySize: 256 }), /^dir\/flint\.json: Unrecognized key.*memorySize/);
  refused(JSON.stringify({ runtime: 'nodejs22.x', handler: 'i.h', url: { authType: 'OPEN' } }), /^dir\/flint\.json at url/);
});
