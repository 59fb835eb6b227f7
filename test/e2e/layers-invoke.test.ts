/**
 * Layers in real sandboxes: a function's layers are merged in order at /opt (read-only), and the
 * runtimes find them where Lambda's do (NODE_PATH, Python's sys.path, PATH, LD_LIBRARY_PATH). A
 * published version keeps its layers; a deleted layer version keeps working for functions using it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DeleteFunctionCommand, DeleteLayerVersionCommand, PublishLayerVersionCommand, PublishVersionCommand, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { useFlint } from '../helpers/flint-process.ts';
import { makeZip, type ZipEntry } from '../helpers/zip.ts';
import { deploy, invoke } from './invoke-support.ts';
import { blobFiles, settled, uniqueName } from './lambda-support.ts';

describe('layers in sandboxes', () => {
  const server = useFlint();

  async function publishLayer(files: readonly ZipEntry[]) {
    return server.client.send(new PublishLayerVersionCommand({ LayerName: uniqueName('lay'), Content: { ZipFile: await makeZip(files) } }));
  }

  async function layer(files: readonly ZipEntry[]): Promise<string> {
    return (await publishLayer(files)).LayerVersionArn!;
  }

  // Node's ES module loader ignores NODE_PATH (on Lambda too): ES modules import a layer's file by its /opt path.
  it('lets a Node function require modules from /opt/nodejs/node_modules and import them by path', async () => {
    const lib = await layer([
      { name: 'nodejs/node_modules/greet/index.js', content: 'module.exports = (n) => `hello ${n}`;' },
      { name: 'nodejs/node22/node_modules/versioned/index.js', content: 'module.exports = "node22";' },
    ]);
    const source = [
      'const greet = require("greet");',
      'const versioned = require("versioned");',
      'exports.handler = async () => ({ greeting: greet("layer"), versioned, esm: (await import("/opt/nodejs/node_modules/greet/index.js")).default("esm"), nodePath: process.env.NODE_PATH });',
    ].join('\n');
    const fn = await deploy(server.client, [{ name: 'index.js', content: source }], { Layers: [lib] });
    const r = await invoke(server.client, fn.name);
    assert.equal(r.functionError, undefined, r.text);
    assert.equal(r.json.greeting, 'hello layer');
    assert.equal(r.json.versioned, 'node22');
    assert.equal(r.json.esm, 'hello esm');
    assert.match(r.json.nodePath, /^\/opt\/nodejs\/node22\/node_modules:\/opt\/nodejs\/node_modules:/);
  });

  it('lets a Python function import from /opt/python and site-packages', async () => {
    const lib = await layer([
      { name: 'python/shared.py', content: 'VALUE = "from /opt/python"\n' },
      { name: 'python/lib/python3.11/site-packages/pkg/__init__.py', content: 'NAME = "site-packages"\n' },
    ]);
    const source = [
      'import sys, shared',
      'def handler(event, context):',
      '    try:',
      '        import pkg',
      '        name = pkg.NAME',
      '    except ImportError:',
      '        name = None',
      '    return {"value": shared.VALUE, "pkg": name, "version": "%d.%d" % sys.version_info[:2], "path": sys.path[:3]}',
    ].join('\n');
    const fn = await deploy(server.client, [{ name: 'app.py', content: source }], { Runtime: 'python3.12', Handler: 'app.handler', Layers: [lib] });
    const r = await invoke(server.client, fn.name);
    assert.equal(r.functionError, undefined, r.text);
    assert.equal(r.json.value, 'from /opt/python');
    assert.deepEqual(r.json.path.slice(1), [`/opt/python/lib/python${r.json.version}/site-packages`, '/opt/python']);
    // The stand-in interpreter's own version names the site-packages directory (3.11 on Debian 12).
    if (r.json.version === '3.11') assert.equal(r.json.pkg, 'site-packages');
  });

  it('puts /opt/bin on PATH and /opt/lib on LD_LIBRARY_PATH, and /opt is read-only', async () => {
    const tools = await layer([{ name: 'bin/layer-tool', content: '#!/bin/sh\necho "tool ran with $1"\n', mode: 0o100755 }]);
    const source = [
      'const { execFileSync } = require("node:child_process");',
      'const fs = require("node:fs");',
      'exports.handler = async () => {',
      '  let write;',
      '  try { fs.writeFileSync("/opt/new.txt", "x"); write = "ok"; } catch (e) { write = e.code; }',
      '  return { out: execFileSync("layer-tool", ["x"]).toString().trim(), ld: process.env.LD_LIBRARY_PATH, write };',
      '};',
    ].join('\n');
    const fn = await deploy(server.client, [{ name: 'index.js', content: source }], { Layers: [tools] });
    const r = await invoke(server.client, fn.name);
    assert.equal(r.functionError, undefined, r.text);
    assert.equal(r.json.out, 'tool ran with x');
    assert.match(r.json.ld, /(^|:)\/opt\/lib(:|$)/);
    assert.equal(r.json.write, 'EROFS');
  });

  it('merges layers in order (a later layer wins), and a published version keeps its layers', async () => {
    const first = await layer([{ name: 'conf/which.txt', content: 'first' }, { name: 'conf/only-first.txt', content: 'kept' }]);
    const second = await layer([{ name: 'conf/which.txt', content: 'second' }]);
    const source = [
      'const fs = require("node:fs");',
      'exports.handler = async () => ({ which: fs.readFileSync("/opt/conf/which.txt", "utf8"),',
      '  onlyFirst: fs.existsSync("/opt/conf/only-first.txt") ? fs.readFileSync("/opt/conf/only-first.txt", "utf8") : null });',
    ].join('\n');
    const fn = await deploy(server.client, [{ name: 'index.js', content: source }], { Layers: [first, second] });
    const r = await invoke(server.client, fn.name);
    assert.equal(r.functionError, undefined, r.text);
    assert.deepEqual(r.json, { which: 'second', onlyFirst: 'kept' });
    const published = await server.client.send(new PublishVersionCommand({ FunctionName: fn.name }));
    await settled(server.client, fn.name, published.Version);
    await server.client.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn.name, Layers: [second, first] }));
    await settled(server.client, fn.name);
    const latest = await invoke(server.client, fn.name);
    assert.deepEqual(latest.json, { which: 'first', onlyFirst: 'kept' });
    const kept = await invoke(server.client, fn.name, {}, { qualifier: published.Version! });
    assert.deepEqual(kept.json, { which: 'second', onlyFirst: 'kept' });
  });

  it('keeps a function working after the layer version it uses is deleted, and releases the package with the function', async () => {
    const published = await publishLayer([{ name: 'nodejs/node_modules/kept/index.js', content: 'module.exports = "still here";' }]);
    const blob = Buffer.from(published.Content!.CodeSha256!, 'base64').toString('hex');
    const holdsBlob = () => blobFiles(server.flint.dataDir).some((p) => p.endsWith(blob));
    const fn = await deploy(server.client, [{ name: 'index.js', content: 'exports.handler = async () => require("kept");' }], { Layers: [published.LayerVersionArn!] });
    await server.client.send(new DeleteLayerVersionCommand({ LayerName: published.LayerArn!.split(':')[6], VersionNumber: published.Version }));
    assert.equal(holdsBlob(), true, 'the package stays while a function version uses it');
    // A new sandbox (after a configuration change) gets the layer again.
    await server.client.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn.name, MemorySize: 256 }));
    await settled(server.client, fn.name);
    const r = await invoke(server.client, fn.name);
    assert.equal(r.functionError, undefined, r.text);
    assert.equal(r.json, 'still here');
    await server.client.send(new DeleteFunctionCommand({ FunctionName: fn.name }));
    assert.equal(holdsBlob(), false, 'released once nothing uses it');
  });
});
