/**
 * The storage contract against the SQLite adapter: a fresh database file per test; a second
 * Storage on the same file stands for a second process sharing it. (Renamed from
 * `.pending` when the SQLite adapter lands: it imports `openSqliteStorage`.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openSqliteStorage, type Storage } from '../../src/storage/index.ts';
import { storageContract } from '../../src/storage/testing/storage-contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'flint-sqlite-contract-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const paths = new WeakMap<Storage, string>();
let opened = 0;

const open = async (path: string): Promise<Storage> => {
  const storage = await openSqliteStorage(path);
  paths.set(storage, path);
  return storage;
};

storageContract('SQLite', {
  open: () => open(join(dir, `flint-${++opened}.db`)),
  openAnother: (storage) => open(paths.get(storage)!),
  // The SQLite feed is in-process: a Storage hears its own changes; another Storage on the file does not.
  feedAcrossStorages: false,
});
