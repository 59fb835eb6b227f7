/** The log store contract against the file adapter (a fresh directory per test; another store on the same directory). */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { LogStore } from '../ports.ts';
import { logStoreContract } from '../testing/log-store-contract.ts';
import { FileLogStore } from './log-store.ts';

const root = mkdtempSync(join(tmpdir(), 'flint-file-logs-'));
after(() => rmSync(root, { recursive: true, force: true }));
const dirs = new WeakMap<LogStore, string>();
let opened = 0;

const open = (dir: string): FileLogStore => {
  const store = new FileLogStore(join(dir, 'logs'), join(dir, 'log-retention.json'));
  dirs.set(store, dir);
  return store;
};

logStoreContract('files', {
  open: async () => open(join(root, String(++opened))),
  openAnother: async (store) => open(dirs.get(store)!),
});


test('files: more streams written than files kept open lose nothing (the least recently written are closed)', async () => {
  const store = open(join(root, 'many-streams'));
  const streams = Array.from({ length: 300 }, (_, i) => `s${i}`);
  for (const round of [1, 2]) await Promise.all(streams.map((s) => store.append('/g', s, [{ timestampMs: round, message: `${s} ${round}` }])));
  for (const s of streams) assert.deepEqual((await store.read('/g', s)).events.map((e) => e.message), [`${s} 1`, `${s} 2`]);
  await store.close();
});

test('files: prepare creates the stream, empty, and the appends after it land in order', async () => {
  const store = open(join(root, 'prepared'));
  store.prepare('/aws/lambda/f', '2026/12/07/[$LATEST]abc');
  await store.append('/aws/lambda/f', '2026/12/07/[$LATEST]abc', [{ timestampMs: 1, message: 'one' }]);
  await store.append('/aws/lambda/f', '2026/12/07/[$LATEST]abc', [{ timestampMs: 2, message: 'two' }]);
  assert.deepEqual((await store.read('/aws/lambda/f', '2026/12/07/[$LATEST]abc')).events.map((e) => e.message), ['one', 'two']);
  store.prepare('/aws/lambda/f', 'empty');
  await store.close(); // waits for the queued open
  assert.deepEqual((await store.streams('/aws/lambda/f'))!.map((s) => [s.name, s.storedBytes]).sort(), [
    ['2026/12/07/[$LATEST]abc', 36],
    ['empty', 0],
  ]);
});
