import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { CodeIntegrityError, CodeNotFoundError } from '../code-store-errors.ts';
import { InMemoryCodeStore } from './in-memory-code-store.ts';

describe('InMemoryCodeStore', () => {
  it('stores by SHA-256, returns copies, and counts identical bytes once', async () => {
    const store = new InMemoryCodeStore();
    const zip = Buffer.from('zip bytes');
    const stored = await store.put(zip);
    assert.deepEqual(stored, {
      sha256Hex: createHash('sha256').update(zip).digest('hex'),
      sha256Base64: createHash('sha256').update(zip).digest('base64'),
      size: zip.length,
    });
    await store.put(Buffer.from(zip));
    assert.equal(await store.totalSize(), zip.length);
    const got = await store.get(stored.sha256Hex);
    got[0] = 0;
    assert.deepEqual(await store.get(stored.sha256Hex), zip);
  });
  it('throws CodeNotFoundError for a missing or malformed key', async () => {
    const store = new InMemoryCodeStore();
    await assert.rejects(store.get('0'.repeat(64)), CodeNotFoundError);
    await assert.rejects(store.get('../etc/passwd'), CodeNotFoundError);
    assert.equal(await store.has('nope'), false);
  });
  it('fails reads of a blob marked corrupt until it is put again', async () => {
    const store = new InMemoryCodeStore();
    const { sha256Hex } = await store.put(Buffer.from('a'));
    store.corrupt(sha256Hex);
    await assert.rejects(store.get(sha256Hex), CodeIntegrityError);
    await store.put(Buffer.from('a'));
    assert.deepEqual(await store.get(sha256Hex), Buffer.from('a'));
  });
  it('deletes idempotently', async () => {
    const store = new InMemoryCodeStore();
    const { sha256Hex } = await store.put(Buffer.from('a'));
    await store.delete(sha256Hex);
    await store.delete(sha256Hex);
    assert.equal(await store.has(sha256Hex), false);
    assert.equal(await store.totalSize(), 0);
  });
});
