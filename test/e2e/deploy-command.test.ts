/** `flint deploy DIR`: a directory and its flint.json become a function, through the Lambda API, as a developer runs it. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { useFlint } from '../helpers/flint-process.ts';
import { invoke } from './invoke-support.ts';
import { uniqueName } from './lambda-support.ts';

const FLINT = join(resolve(import.meta.dirname, '..', '..'), 'bin', 'flint.mjs');
const root = mkdtempSync(join(tmpdir(), 'flint-deploy-e2e-'));
after(() => rmSync(root, { recursive: true, force: true }));

async function deploy(endpoint: string, dir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [FLINT, 'deploy', dir, '--endpoint', endpoint]).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );
}

function write(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

const HANDLER = `const fs = require('node:fs');
exports.handler = async () => ({
  version: require('./lib/version.js'),
  stage: process.env.STAGE,
  memory: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
  shipped: fs.readdirSync(__dirname).sort(),
  run: require('node:child_process').execFileSync(__dirname + '/bin/tool').toString().trim(),
});`;

describe('flint deploy', () => {
  const running = useFlint();

  it('creates a function from a directory and its flint.json, leaving out what .flintignore excludes; deploying again updates code and configuration', async () => {
    const name = uniqueName('deploy');
    const dir = join(root, name);
    write(dir, {
      'index.js': HANDLER,
      'lib/version.js': 'module.exports = 1;',
      'bin/tool': '#!/bin/sh\necho tool ran\n',
      'notes.md': 'not shipped',
      'handler.test.js': 'not shipped',
      '.flintignore': '*.md\n*.test.js\n',
      'flint.json': JSON.stringify({ runtime: 'nodejs22.x', handler: 'index.handler', environment: { STAGE: 'dev' } }),
    });
    chmodSync(join(dir, 'bin', 'tool'), 0o755);
    const first = await deploy(running.flint.endpoint, dir);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /packaged 3 files/);
    assert.match(first.stdout, new RegExp(`^${name} is Active`));
    const r1 = await invoke(running.client, name);
    assert.deepEqual(r1.json, { version: 1, stage: 'dev', memory: '128', shipped: ['bin', 'index.js', 'lib'], run: 'tool ran' });

    write(dir, { 'lib/version.js': 'module.exports = 2;', 'flint.json': JSON.stringify({ name, runtime: 'nodejs22.x', handler: 'index.handler', memory: 256, environment: { STAGE: 'prod' } }) });
    const second = await deploy(running.flint.endpoint, dir);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /updating /);
    const r2 = await invoke(running.client, name);
    assert.deepEqual([r2.json.version, r2.json.stage, r2.json.memory], [2, 'prod', '256']);
    const config = await running.client.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    assert.equal(config.LastUpdateStatus, 'Successful');
  });

  it('creates the function URL flint.json asks for, opened to anyone, and prints it; the URL answers', async () => {
    const name = uniqueName('deploy-url');
    const dir = join(root, name);
    write(dir, { 'index.js': "exports.handler = async (event) => ({ statusCode: 201, body: 'hi ' + event.rawPath });", 'flint.json': JSON.stringify({ runtime: 'nodejs22.x', handler: 'index.handler', url: true }) });
    const out = await deploy(running.flint.endpoint, dir);
    assert.equal(out.code, 0, out.stderr);
    const url = /its URL: (http:\/\/\S+)/.exec(out.stdout)?.[1];
    assert.ok(url, out.stdout);
    const id = new URL(url).hostname.split('.')[0];
    const res = await fetch(`${running.flint.endpoint}/lambda-url/${id}/hello`);
    assert.equal(res.status, 201);
    assert.equal(await res.text(), 'hi /hello');
    const again = await deploy(running.flint.endpoint, dir);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, new RegExp(`its URL: ${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), 'deploying again keeps the URL');
  });

  it('refuses a directory without flint.json, or with a bad one, with a clear message and exit code 2, creating nothing', async () => {
    const dir = join(root, 'no-manifest');
    write(dir, { 'index.js': 'exports.handler = async () => 1;' });
    const missing = await deploy(running.flint.endpoint, dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /flint\.json not found/);
    write(dir, { 'flint.json': JSON.stringify({ runtime: 'nodejs22.x', handler: 'index.handler', memorySize: 256 }) });
    const unknown = await deploy(running.flint.endpoint, dir);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /flint\.json: Unrecognized key.*memorySize/);
  });

  it("passes the Lambda API's refusal through (an unknown runtime) with exit code 1", async () => {
    const dir = join(root, uniqueName('bad-runtime'));
    write(dir, { 'index.js': 'exports.handler = async () => 1;', 'flint.json': JSON.stringify({ runtime: 'cobol85', handler: 'index.handler' }) });
    const out = await deploy(running.flint.endpoint, dir);
    assert.equal(out.code, 1);
    assert.match(out.stderr, /^flint: .*cobol85/m);
  });
});
