import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { CodeIntegrityError, CodeNotFoundError, FileCodeStore, MasterKeyError } from '../../src/code-store/index.ts';

describe('FileCodeStore', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'flint-code-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  const blobPath = (hex: string) => join(dataDir, 'code', hex.slice(0, 2), hex);
  const blobFiles = async () => (await readdir(join(dataDir, 'code'), { recursive: true })).filter((p) => /[0-9a-f]{64}$/.test(p));
  const zipLike = (size: number) => Buffer.concat([Buffer.from('PK\u0003\u0004'), randomBytes(size - 4)]);

  it('returns the original bytes with Lambda\'s CodeSha256 and CodeSize', async () => {
    const store = await FileCodeStore.open(dataDir);
    const zip = zipLike(10_000);
    const stored = await store.put(zip);
    assert.deepEqual(stored, {
      sha256Hex: createHash('sha256').update(zip).digest('hex'),
      sha256Base64: createHash('sha256').update(zip).digest('base64'),
      size: 10_000,
    });
    assert.deepEqual(await store.get(stored.sha256Hex), zip);
    assert.equal(await store.has(stored.sha256Hex), true);
  });

  it('keeps blobs encrypted at rest, owner-only, under code/<aa>/<sha256hex>', async () => {
    const store = await FileCodeStore.open(dataDir);
    const zip = Buffer.from('PK\u0003\u0004 a very recognisable plaintext that must not appear on disk');
    const { sha256Hex } = await store.put(zip);
    const onDisk = await readFile(blobPath(sha256Hex));
    assert.equal(onDisk.includes(Buffer.from('recognisable plaintext')), false);
    assert.equal(onDisk.includes(Buffer.from('PK\u0003\u0004')), false);
    assert.equal((await stat(blobPath(sha256Hex))).mode & 0o777, 0o600);
  });

  it('stores identical uploads once', async () => {
    const store = await FileCodeStore.open(dataDir);
    const zip = zipLike(5_000);
    const first = await store.put(zip);
    const [second, third] = await Promise.all([store.put(Buffer.from(zip)), store.put(Buffer.from(zip))]);
    assert.deepEqual(second, first);
    assert.deepEqual(third, first);
    assert.equal((await blobFiles()).length, 1);
    assert.equal(await store.totalSize(), 5_000);
    await store.put(zipLike(3_000));
    assert.equal(await store.totalSize(), 8_000);
  });

  it('refuses to serve a blob with one flipped byte, wherever it is', async () => {
    const store = await FileCodeStore.open(dataDir);
    const { sha256Hex } = await store.put(zipLike(2_000));
    const original = await readFile(blobPath(sha256Hex));
    for (const at of [0, 1, 12, 500, original.length - 1]) {
      const tampered = Buffer.from(original);
      tampered[at]! ^= 0x40;
      await writeFile(blobPath(sha256Hex), tampered);
      let returned: Buffer | undefined;
      await assert.rejects(async () => {
        returned = await store.get(sha256Hex);
      }, CodeIntegrityError, `byte ${at}`);
      assert.equal(returned, undefined);
    }
  });

  it('refuses to serve a truncated blob', async () => {
    const store = await FileCodeStore.open(dataDir);
    const { sha256Hex } = await store.put(zipLike(2_000));
    const original = await readFile(blobPath(sha256Hex));
    for (const keep of [original.length - 1, 1_000, 20, 0]) {
      await writeFile(blobPath(sha256Hex), original.subarray(0, keep));
      await assert.rejects(store.get(sha256Hex), CodeIntegrityError, `kept ${keep}`);
    }
  });

  it('refuses to serve a valid blob copied under another name', async () => {
    const store = await FileCodeStore.open(dataDir);
    const a = await store.put(zipLike(100));
    const b = await store.put(zipLike(100));
    await writeFile(blobPath(b.sha256Hex), await readFile(blobPath(a.sha256Hex)));
    await assert.rejects(store.get(b.sha256Hex), CodeIntegrityError);
  });

  it('repairs a damaged blob when the same bytes are put again', async () => {
    const store = await FileCodeStore.open(dataDir);
    const zip = zipLike(1_000);
    const { sha256Hex } = await store.put(zip);
    await writeFile(blobPath(sha256Hex), Buffer.from('garbage'));
    await store.put(zip);
    assert.deepEqual(await store.get(sha256Hex), zip);
  });

  it('creates its master key 0600 and reads old blobs after a restart', async () => {
    const zip = zipLike(4_000);
    const { sha256Hex } = await (await FileCodeStore.open(dataDir)).put(zip);
    const keyPath = join(dataDir, 'keys', 'master.key');
    assert.equal((await stat(keyPath)).mode & 0o777, 0o600);
    assert.equal((await stat(join(dataDir, 'keys'))).mode & 0o777, 0o700);
    const key = await readFile(keyPath);
    const restarted = await FileCodeStore.open(dataDir);
    assert.deepEqual(await restarted.get(sha256Hex), zip);
    assert.deepEqual(await readFile(keyPath), key, 'the key is reused, not regenerated');
    assert.equal(await restarted.totalSize(), 4_000);
  });

  it('refuses to serve blobs after the master key was replaced', async () => {
    const { sha256Hex } = await (await FileCodeStore.open(dataDir)).put(zipLike(1_000));
    await writeFile(join(dataDir, 'keys', 'master.key'), randomBytes(32), { mode: 0o600 });
    const withOtherKey = await FileCodeStore.open(dataDir);
    await assert.rejects(withOtherKey.get(sha256Hex), (err: unknown) => err instanceof CodeIntegrityError && err.failure === 'tag');
  });

  it('refuses to open with a key file readable by others', async () => {
    await FileCodeStore.open(dataDir);
    await chmod(join(dataDir, 'keys', 'master.key'), 0o644);
    await assert.rejects(FileCodeStore.open(dataDir), MasterKeyError);
  });

  it('answers CodeNotFoundError for missing and malformed keys without touching other files', async () => {
    const store = await FileCodeStore.open(dataDir);
    await assert.rejects(store.get('a'.repeat(64)), CodeNotFoundError);
    for (const bad of ['../keys/master.key', '../../etc/passwd', 'A'.repeat(64), '']) {
      await assert.rejects(store.get(bad), CodeNotFoundError);
      assert.equal(await store.has(bad), false);
      await store.delete(bad);
    }
    assert.equal((await readFile(join(dataDir, 'keys', 'master.key'))).length, 32);
  });

  it('deletes idempotently and stops counting the blob', async () => {
    const store = await FileCodeStore.open(dataDir);
    const { sha256Hex } = await store.put(zipLike(1_000));
    await store.delete(sha256Hex);
    await store.delete(sha256Hex);
    assert.equal(await store.has(sha256Hex), false);
    await assert.rejects(store.get(sha256Hex), CodeNotFoundError);
    assert.equal(await store.totalSize(), 0);
  });

  it('ignores a temp file left by a crash mid-write', async () => {
    const store = await FileCodeStore.open(dataDir);
    const zip = zipLike(1_000);
    const { sha256Hex } = await store.put(zip);
    await writeFile(join(dataDir, 'code', sha256Hex.slice(0, 2), `.${sha256Hex}.abcdef.tmp`), Buffer.alloc(500));
    assert.equal(await store.totalSize(), 1_000);
    assert.deepEqual(await store.get(sha256Hex), zip);
  });

  // Its speed is a figure of bench/code-store.ts, not an assertion here.
  it('puts and gets a 10 MB package unchanged', async () => {
    const store = await FileCodeStore.open(dataDir);
    const zip = zipLike(10 * 1024 * 1024);
    const { sha256Hex } = await store.put(zip);
    const got = await store.get(sha256Hex);
    assert.ok(got.equals(zip));
  });
});
