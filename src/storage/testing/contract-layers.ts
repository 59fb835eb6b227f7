/** Contract: layer versions (numbers never reused), listings, deletion, code references, policies. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LayerVersionRecord } from '../../model/index.ts';
import { createFunction, using, type StorageContractTarget } from './contract-support.ts';

function layer(layerName: string, over: Partial<LayerVersionRecord> = {}): Omit<LayerVersionRecord, 'version'> {
  return {
    layerName,
    description: '',
    createdMs: 1_000,
    compatibleRuntimes: ['nodejs22.x'],
    compatibleArchitectures: [],
    licenseInfo: undefined,
    codeSha256Hex: 'aa'.repeat(32),
    codeSize: 10,
    unzippedBytes: 20,
    ...over,
  };
}

export function layerContract(target: StorageContractTarget): void {
  describe('layers', () => {
    it('numbers the versions of each layer from 1 and keeps each record as written', () =>
      using(target, async (s) => {
        const one = await s.layers.publish(layer('a', { description: 'first', licenseInfo: 'MIT', compatibleArchitectures: ['arm64'] }));
        const two = await s.layers.publish(layer('a'));
        const other = await s.layers.publish(layer('b'));
        assert.deepEqual([one.version, two.version, other.version], [1, 2, 1]);
        assert.deepEqual(await s.layers.get('a', 1), JSON.parse(JSON.stringify(one)));
        assert.equal((await s.layers.get('a', 1))?.licenseInfo, 'MIT');
        assert.equal(await s.layers.get('a', 3), undefined);
        assert.equal(await s.layers.get('c', 1), undefined);
      }));

    it('lists by layer name, newest version first', () =>
      using(target, async (s) => {
        for (const name of ['b', 'a', 'b', 'a', 'a']) await s.layers.publish(layer(name));
        assert.deepEqual((await s.layers.list()).map((r) => `${r.layerName}:${r.version}`), ['a:3', 'a:2', 'a:1', 'b:2', 'b:1']);
        assert.deepEqual((await s.layers.list('b')).map((r) => r.version), [2, 1]);
        assert.deepEqual(await s.layers.list('c'), []);
      }));

    it('deletes a version (answering its code key) and never hands its number out again', () =>
      using(target, async (s) => {
        await s.layers.publish(layer('a', { codeSha256Hex: 'bb'.repeat(32) }));
        assert.equal(await s.layers.delete('a', 1), 'bb'.repeat(32));
        assert.equal(await s.layers.delete('a', 1), undefined);
        assert.deepEqual(await s.layers.list('a'), []);
        assert.equal((await s.layers.publish(layer('a'))).version, 2);
      }));

    it('knows which packages layer versions and functions using layers hold', () =>
      using(target, async (s) => {
        await s.layers.publish(layer('a', { codeSha256Hex: 'bb'.repeat(32) }));
        assert.equal(await s.layers.isCodeReferenced('bb'.repeat(32)), true);
        assert.equal(await s.layers.isCodeReferenced('cc'.repeat(32)), false);
        await createFunction(s, 'f', { layers: [{ arn: 'arn:aws:lambda:r:000000000000:layer:a:1', codeSize: 1, sha256Hex: 'dd'.repeat(32), unzippedBytes: 1 }] });
        assert.equal(await s.functions.isCodeReferenced('dd'.repeat(32)), true, 'a function version keeps its layers\' packages');
        assert.deepEqual((await s.functions.deleteFunction('f'))?.sort(), ['ab'.repeat(32), 'dd'.repeat(32)], 'deleting answers the layers\' keys too');
        await s.layers.delete('a', 1);
        assert.equal(await s.layers.isCodeReferenced('bb'.repeat(32)), false);
      }));

    it('keeps a policy per version, removes it with its last statement and with its version', () =>
      using(target, async (s) => {
        await s.layers.publish(layer('a'));
        assert.equal(await s.layers.getPolicy('a', 1), undefined);
        const statement = { Sid: 's1', Effect: 'Allow', Principal: '*', Action: 'lambda:GetLayerVersion', Resource: 'arn' };
        assert.equal(await s.layers.updatePolicy('a', 1, () => ({ statements: [statement], revisionId: 'r1' })), true);
        assert.deepEqual(await s.layers.getPolicy('a', 1), { statements: [statement], revisionId: 'r1' });
        assert.equal(await s.layers.updatePolicy('a', 2, () => ({ statements: [statement], revisionId: 'r2' })), false);
        await assert.rejects(s.layers.updatePolicy('a', 1, () => { throw new Error('refused'); }), /refused/);
        assert.equal((await s.layers.getPolicy('a', 1))?.revisionId, 'r1');
        assert.equal(await s.layers.updatePolicy('a', 1, () => ({ statements: [], revisionId: 'r3' })), true);
        assert.equal(await s.layers.getPolicy('a', 1), undefined);
        await s.layers.updatePolicy('a', 1, () => ({ statements: [statement], revisionId: 'r4' }));
        await s.layers.delete('a', 1);
        await s.layers.publish(layer('a'));
        assert.equal(await s.layers.getPolicy('a', 2), undefined);
      }));

    it('publishes inside a transaction and rolls back with it', () =>
      using(target, async (s) => {
        await assert.rejects(s.transaction(async (tx) => {
          await tx.layers.publish(layer('a'));
          throw new Error('abort');
        }), /abort/);
        assert.deepEqual(await s.layers.list('a'), []);
      }));
  });
}
