import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { BLOB_OVERHEAD_BYTES, deriveDataKey, openBlob, sealBlob, sha256 } from './blob-cipher.ts';
import { CodeIntegrityError } from './code-store-errors.ts';

const key = deriveDataKey(randomBytes(32));
const plaintext = Buffer.from('PK\u0003\u0004 pretend this is a zip');
const digest = sha256(plaintext);
const hex = digest.toString('hex');
const failsWith = (failure: string) => (err: unknown) => err instanceof CodeIntegrityError && err.failure === failure && err.sha256Hex === hex;

describe('blob cipher', () => {
  it('round-trips a blob and adds exactly the format overhead', () => {
    const sealed = sealBlob(key, digest, plaintext);
    assert.equal(sealed.length, plaintext.length + BLOB_OVERHEAD_BYTES);
    assert.equal(sealed[0], 1);
    assert.deepEqual(openBlob(key, hex, sealed), plaintext);
  });
  it('uses a fresh nonce for every seal of the same bytes', () => {
    assert.notDeepEqual(sealBlob(key, digest, plaintext), sealBlob(key, digest, plaintext));
  });
  it('does not contain the plaintext', () => {
    assert.equal(sealBlob(key, digest, plaintext).includes(plaintext.subarray(0, 8)), false);
  });
  it('refuses a flipped byte anywhere in the body, nonce or tag', () => {
    const sealed = sealBlob(key, digest, plaintext);
    for (const at of [1, 5, 13, 20, sealed.length - 1]) {
      const tampered = Buffer.from(sealed);
      tampered[at]! ^= 0x01;
      assert.throws(() => openBlob(key, hex, tampered), failsWith('tag'), `byte ${at}`);
    }
  });
  it('refuses an unknown format version', () => {
    const sealed = sealBlob(key, digest, plaintext);
    sealed[0] = 2;
    assert.throws(() => openBlob(key, hex, sealed), failsWith('format'));
  });
  it('refuses a blob shorter than the overhead, and a cut one', () => {
    const sealed = sealBlob(key, digest, plaintext);
    assert.throws(() => openBlob(key, hex, sealed.subarray(0, 10)), failsWith('truncated'));
    assert.throws(() => openBlob(key, hex, sealed.subarray(0, sealed.length - 3)), failsWith('tag'));
  });
  it('refuses a blob sealed under another key', () => {
    const other = deriveDataKey(randomBytes(32));
    assert.throws(() => openBlob(other, hex, sealBlob(key, digest, plaintext)), failsWith('tag'));
  });
  it('refuses a valid blob stored under another name (the SHA-256 is authenticated)', () => {
    const otherPlain = Buffer.from('another package');
    const otherDigest = sha256(otherPlain);
    assert.throws(() => openBlob(key, hex, sealBlob(key, otherDigest, otherPlain)), failsWith('tag'));
  });
  it('refuses a blob whose plaintext does not hash to its name', () => {
    const lying = sealBlob(key, digest, Buffer.from('not what the name says'));
    assert.throws(() => openBlob(key, hex, lying), failsWith('digest'));
  });
  it('derives the same data key from the same master key', () => {
    const master = randomBytes(32);
    assert.deepEqual(deriveDataKey(master), deriveDataKey(Buffer.from(master)));
    assert.notDeepEqual(deriveDataKey(master), master);
  });
});
