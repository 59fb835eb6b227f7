/**
 * The storage contract against the PostgreSQL adapter, on a throwaway cluster (a fresh database
 * per test), plus what only PostgreSQL has: front ends migrating one database at once, the change
 * feed's reconnection, and the code store in the database.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it, test } from 'node:test';
import { promisify } from 'node:util';
import { CodeIntegrityError, CodeNotFoundError } from '../../src/code-store/index.ts';
import { openPostgresStorage, PostgresCodeStore, PostgresLogStore, type ConfigChange, type LogStore, type Storage } from '../../src/storage/index.ts';
import { logStoreContract } from '../../src/storage/testing/log-store-contract.ts';
import { storageContract } from '../../src/storage/testing/storage-contract.ts';
import { postgresBinDir, requirePostgres, startPostgres, type PostgresCluster } from '../helpers/postgres.ts';
import { waitFor } from '../helpers/wait-for.ts';

const run = promisify(execFile);
const skip = requirePostgres();

if (skip !== false) {
  test('PostgreSQL storage', { skip }, () => undefined);
} else {
  let cluster: PostgresCluster;
  const urls = new WeakMap<Storage, string>();

  before(async () => {
    cluster = await startPostgres();
  });
  after(() => cluster.stop());

  const open = async (url: string): Promise<Storage> => {
    const storage = await openPostgresStorage(url);
    urls.set(storage, url);
    return storage;
  };

  /** Runs SQL as the superuser through psql (the tests do not import the client). */
  const psql = async (url: string, sql: string): Promise<string> => (await run(join(postgresBinDir()!, 'psql'), [url, '-XAtq', '-c', sql])).stdout.trim();

  storageContract('PostgreSQL', {
    open: async () => open(await cluster.createDatabase()),
    openAnother: (storage) => open(urls.get(storage)!),
    feedAcrossStorages: true,
  });

  const logUrls = new WeakMap<LogStore, string>();
  const openLogs = async (url: string): Promise<LogStore> => {
    const store = await PostgresLogStore.open(url);
    logUrls.set(store, url);
    return store;
  };
  logStoreContract('PostgreSQL', {
    open: async () => openLogs(await cluster.createDatabase()),
    openAnother: (store) => openLogs(logUrls.get(store)!),
  });

  describe('PostgreSQL storage', () => {
    it('front ends opening a new database at once migrate it once, and all of them work', async () => {
      const reference = await cluster.createDatabase();
      await (await openPostgresStorage(reference)).close();
      const url = await cluster.createDatabase();
      const storages = await Promise.all(Array.from({ length: 4 }, () => openPostgresStorage(url)));
      try {
        // Version numbers may have gaps (migrations are numbered per feature): the same rows as one front end alone writes.
        const applied = 'SELECT string_agg(version::text, \',\' ORDER BY version) FROM schema_migrations';
        assert.equal(await psql(url, applied), await psql(reference, applied));
        await Promise.all(storages.map((s, i) => s.queue.enqueue({ requestId: `r${i}`, functionName: 'f', qualifier: undefined, payload: Buffer.from('{}'), origin: 'invoke' }, 0)));
        assert.equal((await storages[0]!.queue.snapshot(0)).depth, 4);
      } finally {
        await Promise.all(storages.map((s) => s.close()));
      }
    });

    it('the change feed listens again after its connection is cut, and hears later changes', async () => {
      const url = await cluster.createDatabase();
      const s = await openPostgresStorage(url);
      try {
        const heard: ConfigChange[] = [];
        s.changes.subscribe((c) => heard.push(c));
        const cut = await psql(url, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'");
        assert.equal(cut, '1');
        // Changes published while it reconnects are lost (NOTIFY keeps nothing for absent listeners): publish until one is heard.
        await waitFor(async () => {
          await s.changes.publish({ functionName: 'f', kind: 'touched' });
          return heard.length > 0;
        }, { timeoutMs: 10_000, everyMs: 50, what: 'a change heard after the listening connection was cut' });
      } finally {
        await s.close();
      }
    });
  });

  describe('PostgreSQL code store', () => {
    const key = randomBytes(32);

    it('stores sealed packages that every front end reads, and deletes them', async () => {
      const url = await cluster.createDatabase();
      const [a, b] = await Promise.all([PostgresCodeStore.open(url, key), PostgresCodeStore.open(url, key)]);
      try {
        const zip = randomBytes(10_000);
        const stored = await a.put(zip);
        assert.deepEqual(await a.put(zip), stored);
        assert.equal(stored.size, 10_000);
        assert.deepEqual(await b.get(stored.sha256Hex), zip);
        assert.equal(await b.has(stored.sha256Hex), true);
        assert.equal(await b.totalSize(), 10_000);
        const sealed = await psql(url, `SELECT encode(sealed, 'hex') FROM code_blobs WHERE sha256_hex = '${stored.sha256Hex}'`);
        assert.equal(sealed.includes(zip.toString('hex').slice(0, 64)), false, 'the database holds no plaintext');
        await b.delete(stored.sha256Hex);
        assert.equal(await a.has(stored.sha256Hex), false);
        await assert.rejects(a.get(stored.sha256Hex), CodeNotFoundError);
        await assert.rejects(a.get('../etc/passwd'), CodeNotFoundError);
        assert.equal(await a.totalSize(), 0);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it('refuses a tampered blob or one sealed under another key, and a put repairs a damaged copy', async () => {
      const url = await cluster.createDatabase();
      const a = await PostgresCodeStore.open(url, key);
      const other = await PostgresCodeStore.open(url, randomBytes(32));
      try {
        const zip = Buffer.from('PK fake package bytes');
        const { sha256Hex } = await a.put(zip);
        await assert.rejects(other.get(sha256Hex), CodeIntegrityError);
        await psql(url, `UPDATE code_blobs SET sealed = overlay(sealed placing '\\x00'::bytea from 20 for 1) WHERE sha256_hex = '${sha256Hex}'`);
        await assert.rejects(a.get(sha256Hex), CodeIntegrityError);
        await a.put(zip);
        assert.deepEqual(await a.get(sha256Hex), zip);
      } finally {
        await Promise.all([a.close(), other.close()]);
      }
    });
  });
}
