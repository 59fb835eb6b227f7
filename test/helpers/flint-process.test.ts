import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startFlintProcess } from './flint-process.ts';

test('a Flint that exits before listening leaves no data directory behind', async (t) => {
  const privateTmp = mkdtempSync(join(tmpdir(), 'flint-process-test-'));
  const saved = process.env.TMPDIR;
  t.after(() => {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    rmSync(privateTmp, { recursive: true, force: true });
  });
  process.env.TMPDIR = privateTmp; // where startFlintProcess makes its data directory
  await assert.rejects(startFlintProcess({ args: ['--no-such-option'] }), /exited with \d+ before listening/);
  assert.deepEqual(readdirSync(privateTmp), []);
});
