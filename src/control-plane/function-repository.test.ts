import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../db/index.ts';
import type { FunctionVersionConfig } from '../model/index.ts';
import { functionVersion } from '../model/testing/function-version.ts';
import { FunctionRepository } from './function-repository.ts';

function version(name: string, v: string, sha = 'a'.repeat(64)): FunctionVersionConfig {
  return functionVersion(name, { version: v, codeSha256Hex: sha, codeSize: 5 });
}

describe('FunctionRepository', () => {
  it('keeps $LATEST and numbered version rows, listed $LATEST first then numerically, with cursors', () => {
    const repo = new FunctionRepository(openDatabase(':memory:'));
    for (const name of ['b', 'a']) {
      assert.equal(repo.insertFunction({ name, createdMs: 0, tags: {}, reservedConcurrency: undefined }, version(name, '$LATEST')), true);
      for (const v of ['10', '2', '1']) repo.insertVersion(version(name, v));
    }
    const all = repo.list({ limit: 100, allVersions: true }).map((c) => `${c.functionName}:${c.version}`);
    assert.deepEqual(all, ['a:$LATEST', 'a:1', 'a:2', 'a:10', 'b:$LATEST', 'b:1', 'b:2', 'b:10']);
    const rest = repo.list({ limit: 3, allVersions: true, after: { name: 'a', version: '2' } }).map((c) => `${c.functionName}:${c.version}`);
    assert.deepEqual(rest, ['a:10', 'b:$LATEST', 'b:1']);
    assert.deepEqual(repo.list({ limit: 10, allVersions: false }).map((c) => c.functionName), ['a', 'b']);
  });

  it('refuses a second function of the same name without writing anything', () => {
    const repo = new FunctionRepository(openDatabase(':memory:'));
    repo.insertFunction({ name: 'f', createdMs: 0, tags: { t: '1' }, reservedConcurrency: undefined }, version('f', '$LATEST', 'a'.repeat(64)));
    assert.equal(repo.insertFunction({ name: 'f', createdMs: 1, tags: {}, reservedConcurrency: undefined }, version('f', '$LATEST', 'b'.repeat(64))), false);
    assert.equal(repo.getVersion('f', '$LATEST')?.codeSha256Hex, 'a'.repeat(64));
    assert.equal(repo.isCodeReferenced('b'.repeat(64)), false);
  });

  it('rolls an update back when the change throws, and deletes every version with the function', () => {
    const repo = new FunctionRepository(openDatabase(':memory:'));
    repo.insertFunction({ name: 'f', createdMs: 0, tags: {}, reservedConcurrency: undefined }, version('f', '$LATEST'));
    repo.insertVersion(version('f', '1', 'c'.repeat(64)));
    assert.throws(() => repo.updateVersion('f', '$LATEST', () => { throw new Error('refused'); }), /refused/);
    assert.equal(repo.updateVersion('missing', '$LATEST', (c) => c), undefined);
    assert.deepEqual(repo.deleteFunction('f')?.sort(), ['a'.repeat(64), 'c'.repeat(64)]);
    assert.equal(repo.getVersion('f', '1'), undefined);
    assert.equal(repo.deleteFunction('f'), undefined);
    assert.deepEqual(repo.usage(), { functionCount: 0, totalCodeSize: 0, reservedConcurrency: 0 });
  });
});
