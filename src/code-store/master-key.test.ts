import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { MasterKeyError } from './code-store-errors.ts';
import { loadOrCreateMasterKey } from './master-key.ts';

describe('loadOrCreateMasterKey', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'flint-key-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates 32 random bytes with mode 0600 in a 0700 directory on first start', async () => {
    const key = await loadOrCreateMasterKey(dataDir);
    assert.equal(key.length, 32);
    assert.equal((await stat(join(dataDir, 'keys', 'master.key'))).mode & 0o777, 0o600);
    assert.equal((await stat(join(dataDir, 'keys'))).mode & 0o777, 0o700);
  });
  it('returns the same key on the next start', async () => {
    assert.deepEqual(await loadOrCreateMasterKey(dataDir), await loadOrCreateMasterKey(dataDir));
  });
  it('agrees on one key when two starts race', async () => {
    const [a, b, c] = await Promise.all([loadOrCreateMasterKey(dataDir), loadOrCreateMasterKey(dataDir), loadOrCreateMasterKey(dataDir)]);
    assert.deepEqual(a, b);
    assert.deepEqual(b, c);
  });
  for (const mode of [0o644, 0o640, 0o604, 0o660]) {
    it(`refuses a key file with mode ${mode.toString(8)}`, async () => {
      await loadOrCreateMasterKey(dataDir);
      await chmod(join(dataDir, 'keys', 'master.key'), mode);
      await assert.rejects(loadOrCreateMasterKey(dataDir), (err: Error) => err instanceof MasterKeyError && /chmod 600/.test(err.message));
    });
  }
  it('refuses a key file of the wrong length', async () => {
    await loadOrCreateMasterKey(dataDir);
    await writeFile(join(dataDir, 'keys', 'master.key'), Buffer.alloc(16), { mode: 0o600 });
    await assert.rejects(loadOrCreateMasterKey(dataDir), (err: Error) => err instanceof MasterKeyError && /16 bytes; expected 32/.test(err.message));
  });
  it('refuses a key directory writable by others', async () => {
    await loadOrCreateMasterKey(dataDir);
    await chmod(join(dataDir, 'keys'), 0o777);
    await assert.rejects(loadOrCreateMasterKey(dataDir), MasterKeyError);
  });
});
