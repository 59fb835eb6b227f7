import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileLogStore } from './log-store.ts';

describe('FileLogStore', () => {
  it('keeps events per group and stream in order and reads on from an offset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flint-logs-'));
    try {
      const store = new FileLogStore(dir);
      const group = '/aws/lambda/fn';
      const stream = '2026/11/23/[$LATEST]abc';
      await Promise.all([store.append(group, stream, [{ timestampMs: 1, message: 'a\tb' }]), store.append(group, stream, [{ timestampMs: 2, message: 'c' }])]);
      const first = await store.read(group, stream);
      assert.deepEqual(first.events.map((e) => e.message), ['a\tb', 'c']);
      await store.append(group, stream, [{ timestampMs: 3, message: 'd' }]);
      const next = await store.read(group, stream, first.nextOffset);
      assert.deepEqual(next.events.map((e) => e.message), ['d']);
      assert.deepEqual(await store.streams(group), [stream]);
      assert.deepEqual(await store.streams('/aws/lambda/none'), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
