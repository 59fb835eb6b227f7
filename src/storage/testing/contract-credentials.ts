/** Contract: the credential store (access keys of users and execution-role sessions). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredCredential } from '../ports.ts';
import { using, type StorageContractTarget } from './contract-support.ts';

const user = (id: string, over: Partial<StoredCredential> = {}): StoredCredential => ({
  accessKeyId: id, accountId: '111111111111', name: `user-${id}`, arn: `arn:aws:iam::111111111111:user/user-${id}`,
  sealedSecret: Buffer.from([1, 2, 3, 0, 255]), sessionTokenDigest: undefined, createdMs: 10, expiresMs: undefined, ...over,
});
const session = (id: string, expiresMs: number): StoredCredential =>
  user(id, { name: 'role/fn', arn: 'arn:aws:sts::111111111111:assumed-role/role/fn', sessionTokenDigest: 'ab'.repeat(32), expiresMs });

export function credentialContract(target: StorageContractTarget): void {
  describe('credentials', () => {
    it('stores a credential as given and refuses a second one with the same access key id', () =>
      using(target, async (s) => {
        assert.equal(await s.credentials.insert(user('AKIA1')), true);
        assert.equal(await s.credentials.insert(user('AKIA1', { name: 'other' })), false);
        assert.deepEqual(await s.credentials.get('AKIA1'), user('AKIA1'));
        assert.equal(await s.credentials.get('AKIA2'), undefined);
        await s.credentials.insert(session('ASIA1', 500));
        assert.deepEqual(await s.credentials.get('ASIA1'), session('ASIA1', 500));
      }));

    it('lists users only, by account then name, and deletes one', () =>
      using(target, async (s) => {
        await s.credentials.insert(user('AKIAB', { accountId: '222222222222', name: 'a' }));
        await s.credentials.insert(user('AKIAA', { name: 'z' }));
        await s.credentials.insert(session('ASIA1', 500));
        assert.deepEqual((await s.credentials.listUsers()).map((c) => c.accessKeyId), ['AKIAA', 'AKIAB']);
        assert.equal(await s.credentials.delete('AKIAA'), true);
        assert.equal(await s.credentials.delete('AKIAA'), false);
        assert.deepEqual((await s.credentials.listUsers()).map((c) => c.accessKeyId), ['AKIAB']);
      }));

    it('removes the sessions that have ended, and nothing else', () =>
      using(target, async (s) => {
        await s.credentials.insert(user('AKIA1'));
        await s.credentials.insert(session('ASIA1', 100));
        await s.credentials.insert(session('ASIA2', 200));
        assert.equal(await s.credentials.deleteExpired(100), 1);
        assert.equal(await s.credentials.get('ASIA1'), undefined);
        assert.ok(await s.credentials.get('ASIA2'));
        assert.ok(await s.credentials.get('AKIA1'));
      }));
  });
}
