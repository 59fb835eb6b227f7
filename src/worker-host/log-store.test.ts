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

  it('lists, creates and deletes groups and streams, and scans a stream with each event\'s stable offset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flint-logs-'));
    try {
      const store = new FileLogStore(dir);
      assert.deepEqual(await store.groups(), []);
      assert.equal(await store.createGroup('/custom/g'), true);
      assert.equal(await store.createGroup('/custom/g'), false);
      assert.deepEqual(await store.streamFiles('/custom/g'), []);
      assert.equal(await store.streamFiles('/aws/lambda/none'), undefined);
      await store.append('/custom/g', 's', [{ timestampMs: 1, message: 'one' }, { timestampMs: 2, message: 'two' }]);
      const events = await store.scan('/custom/g', 's');
      assert.deepEqual(events.map((e) => [e.message, e.offset]), [['one', 0], ['two', JSON.stringify({ t: 1, m: 'one' }).length + 1]]);
      const [file] = (await store.streamFiles('/custom/g'))!;
      assert.deepEqual([file!.name, file!.storedBytes], ['s', events[1]!.offset + JSON.stringify({ t: 2, m: 'two' }).length + 1]);
      assert.deepEqual((await store.groups()).map((g) => g.name), ['/custom/g']);
      assert.equal(await store.deleteStream('/custom/g', 's'), true);
      assert.equal(await store.deleteStream('/custom/g', 's'), false);
      assert.equal(await store.deleteGroup('/custom/g'), true);
      assert.equal(await store.deleteGroup('/custom/g'), false);
      assert.deepEqual(await store.groups(), []);
      await store.append('/custom/g', 's', [{ timestampMs: 3, message: 'after delete' }]);
      assert.deepEqual((await store.scan('/custom/g', 's')).map((e) => e.message), ['after delete'], 'a deleted group is made again by the next append');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
