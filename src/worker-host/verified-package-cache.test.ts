import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PackageDigestMismatch, VerifiedPackageCache } from './verified-package-cache.ts';

const bytes = Buffer.from('PK\u0003\u0004 a package');
const sha = createHash('sha256').update(bytes).digest('hex');

describe('VerifiedPackageCache', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'flint-l1-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('fetches once, then serves the verified copy from disk', async () => {
    let fetches = 0;
    const cache = new VerifiedPackageCache(dir, async () => (fetches++, bytes));
    assert.deepEqual(await cache.get(sha), bytes);
    assert.deepEqual(await cache.get(sha), bytes);
    assert.equal(fetches, 1);
    assert.deepEqual(readFileSync(join(dir, `${sha}.zip`)), bytes);
  });

  it('refuses fetched bytes whose digest is not the one asked for, and caches nothing', async () => {
    const cache = new VerifiedPackageCache(dir, async () => Buffer.from('something else'));
    await assert.rejects(cache.get(sha), PackageDigestMismatch);
    assert.throws(() => readFileSync(join(dir, `${sha}.zip`)), /ENOENT/);
  });

  it('detects a corrupted entry by its digest and fetches the package again', async () => {
    let fetches = 0;
    const corrupt: string[] = [];
    const cache = new VerifiedPackageCache(dir, async () => (fetches++, bytes), (s) => corrupt.push(s));
    await cache.get(sha);
    writeFileSync(join(dir, `${sha}.zip`), 'flipped bits');
    assert.deepEqual(await cache.get(sha), bytes);
    assert.equal(fetches, 2);
    assert.deepEqual(corrupt, [sha]);
    assert.deepEqual(readFileSync(join(dir, `${sha}.zip`)), bytes);
  });

  it('rejects a key that is not a SHA-256 digest without fetching', async () => {
    let fetches = 0;
    const cache = new VerifiedPackageCache(dir, async () => (fetches++, bytes));
    await assert.rejects(cache.get('../../etc/passwd'), /not a SHA-256 digest/);
    assert.equal(fetches, 0);
  });
});
