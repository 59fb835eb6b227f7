import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { defaultRuntimePaths } from './default-runtime-paths.ts';
import { nodeClientBundle, sourceDigest } from './node-client-bundle.ts';

describe('nodeClientBundle', () => {
  const work = mkdtempSync(join(tmpdir(), 'flint-node-client-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  const sources = join(work, 'nodejs');
  cpSync(`${defaultRuntimePaths().sandboxRuntimeDir}/nodejs`, sources, { recursive: true, filter: (src) => !src.endsWith('node_modules') });
  const root = join(work, 'built');

  it('bundles the client into one module that imports nothing, beside its probes and the SDK mount point', () => {
    const dir = nodeClientBundle(sources, root);
    const code = readFileSync(join(dir, 'bootstrap.mjs'), 'utf8');
    assert.doesNotMatch(code, /^\s*import\s/m); // no module of the client nor built-in is imported
    assert.match(code, /process\.getBuiltinModule\("node:net"\)/);
    assert.ok(existsSync(join(dir, 'warm', 'probe.mjs')) && existsSync(join(dir, 'warm', 'probe.cjs')));
    assert.ok(existsSync(join(dir, 'node_modules')));
    assert.equal(statSync(dir).mode & 0o777, 0o755); // readable by the sandbox's user
    execFileSync(process.execPath, ['--check', join(dir, 'bootstrap.mjs')]);
  });

  it('builds once per version of the sources, and again when they change', () => {
    const first = nodeClientBundle(sources, root);
    assert.equal(nodeClientBundle(sources, root), first);
    writeFileSync(join(sources, 'errors.mjs'), readFileSync(join(sources, 'errors.mjs'), 'utf8').replace('most commonly caused', 'most commonly edited'));
    const second = nodeClientBundle(sources, root);
    assert.notEqual(second, first);
    assert.match(readFileSync(join(second, 'bootstrap.mjs'), 'utf8'), /most commonly edited/);
    assert.equal(readdirSync(root).filter((e) => e.startsWith('.building-')).length, 0); // no half-built directory left
  });

  it('digests names and contents, not the SDK mount point', () => {
    const before = sourceDigest(sources);
    writeFileSync(join(sources, 'node_modules-ignored'), 'x');
    assert.notEqual(sourceDigest(sources), before);
    rmSync(join(sources, 'node_modules-ignored'));
    assert.equal(sourceDigest(sources), before);
  });

  it('fails without leaving a half-built directory when the sources do not build', () => {
    writeFileSync(join(sources, 'errors.mjs'), 'export const = ;');
    assert.throws(() => nodeClientBundle(sources, root));
    assert.equal(readdirSync(root).filter((e) => e.startsWith('.building-')).length, 0);
  });
});
