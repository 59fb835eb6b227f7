import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FunctionVersionConfig } from '../../model/index.ts';
import { functionVersion } from '../../model/testing/function-version.ts';
import { openSqliteStorage } from './sqlite-storage.ts';

function version(name: string, v: string, sha = 'a'.repeat(64)): FunctionVersionConfig {
  return functionVersion(name, { version: v, codeSha256Hex: sha, codeSize: 5 });
}

describe('the SQLite function store', () => {
  it('keeps $LATEST and numbered version rows, listed $LATEST first then numerically, with cursors', async () => {
    const repo = openSqliteStorage(':memory:').functions;
    for (const name of ['b', 'a']) {
      assert.equal(await repo.insertFunction({ name, createdMs: 0, tags: {}, reservedConcurrency: undefined }, version(name, '$LATEST')), true);
      for (const v of ['10', '2', '1']) await repo.insertVersion(version(name, v));
    }
    const all = (await repo.list({ limit: 100, allVersions: true })).map((c) => `${c.functionName}:${c.version}`);
    assert.deepEqual(all, ['a:$LATEST', 'a:1', 'a:2', 'a:10', 'b:$LATEST', 'b:1', 'b:2', 'b:10']);
    const rest = (await repo.list({ limit: 3, allVersions: true, after: { name: 'a', version: '2' } })).map((c) => `${c.functionName}:${c.version}`);
    assert.deepEqual(rest, ['a:10', 'b:$LATEST', 'b:1']);
    assert.deepEqual((await repo.list({ limit: 10, allVersions: false })).map((c) => c.functionName), ['a', 'b']);
  });

  it('refuses a second function of the same name without writing anything', async () => {
    const repo = openSqliteStorage(':memory:').functions;
    await repo.insertFunction({ name: 'f', createdMs: 0, tags: { t: '1' }, reservedConcurrency: undefined }, version('f', '$LATEST', 'a'.repeat(64)));
    assert.equal(await repo.insertFunction({ name: 'f', createdMs: 1, tags: {}, reservedConcurrency: undefined }, version('f', '$LATEST', 'b'.repeat(64))), false);
    assert.equal((await repo.getVersion('f', '$LATEST'))?.codeSha256Hex, 'a'.repeat(64));
    assert.equal(await repo.isCodeReferenced('b'.repeat(64)), false);
  });

  it('rolls an update back when the change throws, and deletes every version with the function', async () => {
    const repo = openSqliteStorage(':memory:').functions;
    await repo.insertFunction({ name: 'f', createdMs: 0, tags: {}, reservedConcurrency: undefined }, version('f', '$LATEST'));
    await repo.insertVersion(version('f', '1', 'c'.repeat(64)));
    await assert.rejects(repo.updateVersion('f', '$LATEST', () => { throw new Error('refused'); }), /refused/);
    assert.equal(await repo.updateVersion('missing', '$LATEST', (c) => c), undefined);
    assert.deepEqual((await repo.deleteFunction('f'))?.sort(), ['a'.repeat(64), 'c'.repeat(64)]);
    assert.equal(await repo.getVersion('f', '1'), undefined);
    assert.equal(await repo.deleteFunction('f'), undefined);
    assert.deepEqual(await repo.usage(), { functionCount: 0, totalCodeSize: 0, reservedConcurrency: 0 });
  });
});
