/** Contract: function URL configs (one per function `$LATEST` or alias), found by qualifier or by URL id. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FunctionUrlConfigRecord } from '../../model/index.ts';
import { alias, createFunction, using, type StorageContractTarget } from './contract-support.ts';

function urlConfig(qualifier: string, over: Partial<FunctionUrlConfigRecord> = {}): FunctionUrlConfigRecord {
  return {
    functionName: 'f',
    qualifier,
    urlId: `${qualifier.replace(/\W/g, '').toLowerCase().padEnd(8, 'x')}${'0'.repeat(24)}`,
    authType: 'NONE',
    cors: undefined,
    invokeMode: 'BUFFERED',
    creationMs: 1_700_000_000_123,
    lastModifiedMs: 1_700_000_000_123,
    ...over,
  };
}

export function functionUrlContract(target: StorageContractTarget): void {
  describe('function URL configs', () => {
    it('inserts once per qualifier, reads by qualifier and by URL id, lists in order after a cursor', () =>
      using(target, async (s) => {
        await createFunction(s, 'f');
        const cors = { AllowOrigins: ['https://a.example'], AllowMethods: ['GET', 'POST'], AllowCredentials: true, MaxAge: 300 };
        assert.equal(await s.functionUrls.insert(urlConfig('$LATEST', { cors, authType: 'AWS_IAM' })), true);
        assert.equal(await s.functionUrls.insert(urlConfig('live', { invokeMode: 'RESPONSE_STREAM' })), true);
        assert.equal(await s.functionUrls.insert(urlConfig('beta')), true);
        assert.equal(await s.functionUrls.insert(urlConfig('$LATEST', { urlId: 'z'.repeat(32) })), false, 'one config per qualifier');
        assert.deepEqual(await s.functionUrls.get('f', '$LATEST'), urlConfig('$LATEST', { cors, authType: 'AWS_IAM' }));
        assert.deepEqual(await s.functionUrls.byUrlId(urlConfig('live').urlId), urlConfig('live', { invokeMode: 'RESPONSE_STREAM' }));
        assert.equal(await s.functionUrls.byUrlId('z'.repeat(32)), undefined);
        assert.equal(await s.functionUrls.get('f', 'gamma'), undefined);
        assert.deepEqual((await s.functionUrls.list('f', undefined, 10)).map((c) => c.qualifier), ['$LATEST', 'beta', 'live']);
        assert.deepEqual((await s.functionUrls.list('f', '$LATEST', 1)).map((c) => c.qualifier), ['beta']);
        assert.deepEqual(await s.functionUrls.list('g', undefined, 10), []);
      }));

    it('refuses a URL id another config has', () =>
      using(target, async (s) => {
        await createFunction(s, 'f');
        await s.functionUrls.insert(urlConfig('$LATEST', { urlId: 'a'.repeat(32) }));
        await assert.rejects(s.functionUrls.insert(urlConfig('live', { urlId: 'a'.repeat(32) })));
      }));

    it('updates settings but keeps the URL id and creation time; false for an absent config', () =>
      using(target, async (s) => {
        await createFunction(s, 'f');
        await s.functionUrls.insert(urlConfig('$LATEST', { cors: { AllowOrigins: ['*'] } }));
        const changed = urlConfig('$LATEST', { urlId: 'b'.repeat(32), creationMs: 5, authType: 'AWS_IAM', cors: undefined, invokeMode: 'RESPONSE_STREAM', lastModifiedMs: 1_800_000_000_000 });
        assert.equal(await s.functionUrls.update(changed), true);
        assert.deepEqual(await s.functionUrls.get('f', '$LATEST'), { ...changed, urlId: urlConfig('$LATEST').urlId, creationMs: urlConfig('$LATEST').creationMs });
        assert.equal(await s.functionUrls.update(urlConfig('live')), false);
        assert.equal(await s.functionUrls.get('f', 'live'), undefined);
      }));

    it('deletes one config; its alias and its function take theirs with them', () =>
      using(target, async (s) => {
        await createFunction(s, 'f');
        await s.aliases.insert(alias('f', 'live'));
        await s.aliases.insert(alias('f', 'beta'));
        await s.functionUrls.insert(urlConfig('$LATEST'));
        await s.functionUrls.insert(urlConfig('live'));
        await s.functionUrls.insert(urlConfig('beta'));
        assert.equal(await s.functionUrls.delete('f', 'beta'), true);
        assert.equal(await s.functionUrls.delete('f', 'beta'), false);
        assert.equal(await s.aliases.delete('f', 'live'), true);
        assert.equal(await s.functionUrls.get('f', 'live'), undefined);
        assert.equal(await s.functionUrls.byUrlId(urlConfig('live').urlId), undefined);
        assert.notEqual(await s.functionUrls.get('f', '$LATEST'), undefined);
        await s.functions.deleteFunction('f');
        assert.equal(await s.functionUrls.byUrlId(urlConfig('$LATEST').urlId), undefined);
        await createFunction(s, 'f');
        assert.deepEqual(await s.functionUrls.list('f', undefined, 10), [], 'a function created again starts without URLs');
      }));
  });
}
