/**
 * Environment variables at rest in a cluster's PostgreSQL database: no row holds a value in the
 * clear, rows an older Flint wrote in the clear are sealed at start, and the storage contract
 * holds through the sealing wrapper.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it, test } from 'node:test';
import { promisify } from 'node:util';
import { functionVersion } from '../../src/model/testing/function-version.ts';
import { openPostgresStorage, sealingEnvironments, type Storage } from '../../src/storage/index.ts';
import { storageContract } from '../../src/storage/testing/storage-contract.ts';
import { postgresBinDir, requirePostgres, startPostgres, type PostgresCluster } from '../helpers/postgres.ts';

const run = promisify(execFile);
const skip = requirePostgres();
const key = randomBytes(32);
const record = (name: string) => ({ name, createdMs: 0, tags: {}, reservedConcurrency: undefined });

if (skip !== false) {
  test('PostgreSQL sealing', { skip }, () => undefined);
} else {
  let cluster: PostgresCluster;
  before(async () => {
    cluster = await startPostgres();
  });
  after(() => cluster.stop());
  const psql = async (url: string, sql: string): Promise<string> => (await run(join(postgresBinDir()!, 'psql'), [url, '-XAtq', '-c', sql])).stdout.trim();

  const urls = new WeakMap<Storage, string>();
  const open = async (url: string): Promise<Storage> => {
    const storage = await sealingEnvironments(await openPostgresStorage(url), key);
    urls.set(storage, url);
    return storage;
  };
  storageContract('PostgreSQL, environments sealed', {
    open: async () => open(await cluster.createDatabase()),
    openAnother: (storage) => open(urls.get(storage)!),
    feedAcrossStorages: true,
  });

  describe('environment variables at rest in PostgreSQL', () => {
    it('no row holds a value in the clear, and reads give them back', async () => {
      const url = await cluster.createDatabase();
      const marker = `pg-${randomBytes(8).toString('hex')}`;
      const storage = await open(url);
      try {
        await storage.functions.insertFunction(record('f'), functionVersion('f', { environment: { SECRET: marker } }));
        await storage.transaction((tx) => tx.functions.insertVersion(functionVersion('f', { version: '1', environment: { SECRET: marker } })));
        assert.deepEqual((await storage.functions.listVersions('f')).map((c) => c.environment), [{ SECRET: marker }, { SECRET: marker }]);
        const rows = await psql(url, 'SELECT config::text FROM function_versions');
        assert.ok(rows.includes('sealedEnvironment') && !rows.includes(marker), rows);
      } finally {
        await storage.close();
      }
    });

    it('seals at start the rows written in the clear before', async () => {
      const url = await cluster.createDatabase();
      const marker = `pg-legacy-${randomBytes(8).toString('hex')}`;
      const old = await openPostgresStorage(url);
      await old.functions.insertFunction(record('f'), functionVersion('f', { environment: { SECRET: marker } }));
      await old.close();
      assert.ok((await psql(url, 'SELECT config::text FROM function_versions')).includes(marker));
      const upgraded = await open(url);
      try {
        assert.ok(!(await psql(url, 'SELECT config::text FROM function_versions')).includes(marker));
        assert.deepEqual((await upgraded.functions.getVersion('f', '$LATEST'))?.environment, { SECRET: marker });
      } finally {
        await upgraded.close();
      }
    });
  });
}
