/**
 * The log store contract: what every adapter of `LogStore` (../ports.ts) must do, registered as
 * `node:test` tests. Each test opens a fresh, empty store; `openAnother` opens a second one on the
 * same files or database (another process's view of it).
 *
 *   logStoreContract('PostgreSQL', { open, openAnother });
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogStore } from '../ports.ts';

export interface LogStoreContractTarget {
  /** A fresh, empty log store. */
  open(): Promise<LogStore>;
  /** Another log store on the same files or database as `store`. */
  openAnother(store: LogStore): Promise<LogStore>;
}

const G = '/aws/lambda/fn';
const S = '2026/12/06/[$LATEST]0123456789abcdef0123456789abcdef';

async function using(target: LogStoreContractTarget, fn: (s: LogStore, another: () => Promise<LogStore>) => Promise<void>): Promise<void> {
  const opened: LogStore[] = [];
  const s = await target.open();
  opened.push(s);
  try {
    await fn(s, async () => {
      const other = await target.openAnother(s);
      opened.push(other);
      return other;
    });
  } finally {
    for (const o of opened.reverse()) await o.close();
  }
}

const messages = (r: { events: ReadonlyArray<{ message: string }> }): string[] => r.events.map((e) => e.message);

export function logStoreContract(name: string, target: LogStoreContractTarget): void {
  describe(`log store contract: ${name}`, () => {
    it('appends make the group and stream, and a stream reads back in append order with increasing, stable offsets', async () => {
      await using(target, async (s) => {
        assert.equal(await s.streams(G), undefined);
        await s.append(G, S, [{ timestampMs: 1, message: 'a\tb' }, { timestampMs: 2, message: 'héllo ✓ {"json": [1]}' }]);
        await s.append(G, S, []);
        await s.append(G, S, [{ timestampMs: 3, message: '' }]);
        const all = await s.read(G, S);
        assert.deepEqual(messages(all), ['a\tb', 'héllo ✓ {"json": [1]}', '']);
        assert.deepEqual(all.events.map((e) => e.timestampMs), [1, 2, 3]);
        const offsets = all.events.map((e) => e.offset);
        assert.ok(offsets.every((o, i) => i === 0 || o > offsets[i - 1]!), `offsets increase: ${offsets.join(',')}`);
        assert.ok(all.nextOffset > offsets.at(-1)!);
        assert.deepEqual((await s.read(G, S)).events, all.events, 'offsets are stable');
        assert.deepEqual((await s.groups()).map((g) => g.name), [G]);
        assert.deepEqual((await s.streams(G))!.map((x) => x.name), [S]);
      });
    });

    it('reads on from an offset: from nextOffset only what was appended since, from an event\'s offset that event on', async () => {
      await using(target, async (s) => {
        await s.append(G, S, [{ timestampMs: 1, message: 'one' }, { timestampMs: 2, message: 'two' }]);
        const first = await s.read(G, S);
        const none = await s.read(G, S, first.nextOffset);
        assert.deepEqual(none, { events: [], nextOffset: first.nextOffset });
        await s.append(G, S, [{ timestampMs: 3, message: 'three' }]);
        const next = await s.read(G, S, first.nextOffset);
        assert.deepEqual(messages(next), ['three']);
        assert.ok(next.events[0]!.offset >= first.nextOffset);
        assert.deepEqual(messages(await s.read(G, S, first.events[1]!.offset)), ['two', 'three']);
        assert.deepEqual(await s.read(G, 'no such stream', 7), { events: [], nextOffset: 7 });
        assert.deepEqual(await s.read('/aws/lambda/none', S), { events: [], nextOffset: 0 });
      });
    });

    it('keeps concurrent appends to one stream in call order', async () => {
      await using(target, async (s) => {
        await Promise.all(Array.from({ length: 20 }, (_, i) => s.append(G, S, [{ timestampMs: i, message: `${i}a` }, { timestampMs: i, message: `${i}b` }])));
        assert.deepEqual(messages(await s.read(G, S)), Array.from({ length: 20 }, (_, i) => [`${i}a`, `${i}b`]).flat());
      });
    });

    it('describes streams oldest first with their creation and last write times and stored bytes that grow', async () => {
      await using(target, async (s) => {
        const before = Date.now();
        await s.append(G, 'first', [{ timestampMs: 1, message: 'x' }]);
        await new Promise((r) => setTimeout(r, 20));
        await s.append(G, 'second', [{ timestampMs: 2, message: 'y' }]);
        const [a, b] = (await s.streams(G))!;
        assert.deepEqual([a!.name, b!.name], ['first', 'second']);
        assert.ok(a!.createdMs >= before - 1000 && a!.createdMs <= Date.now() + 1000, 'created now');
        assert.ok(b!.lastWriteMs >= a!.createdMs);
        assert.ok(a!.storedBytes >= 1);
        await s.append(G, 'first', [{ timestampMs: 3, message: 'more bytes' }]);
        const grown = (await s.streams(G))!.find((x) => x.name === 'first')!;
        assert.ok(grown.storedBytes >= a!.storedBytes + 'more bytes'.length, 'stored bytes grow');
        assert.ok(grown.lastWriteMs >= a!.lastWriteMs);
        assert.equal(grown.createdMs, a!.createdMs);
      });
    });

    it('creates, lists and deletes groups and streams; a deleted group is made again by the next append', async () => {
      await using(target, async (s) => {
        assert.deepEqual(await s.groups(), []);
        assert.equal(await s.createGroup('/custom/g'), true);
        assert.equal(await s.createGroup('/custom/g'), false);
        assert.deepEqual(await s.streams('/custom/g'), []);
        const [g] = await s.groups();
        assert.equal(g!.name, '/custom/g');
        assert.ok(g!.createdMs > 0);
        await s.append('/custom/g', 's', [{ timestampMs: 1, message: 'one' }]);
        await s.append('/custom/g', 't', [{ timestampMs: 1, message: 'other' }]);
        assert.equal(await s.deleteStream('/custom/g', 's'), true);
        assert.equal(await s.deleteStream('/custom/g', 's'), false);
        assert.deepEqual(await s.read('/custom/g', 's'), { events: [], nextOffset: 0 });
        assert.deepEqual((await s.streams('/custom/g'))!.map((x) => x.name), ['t']);
        assert.equal(await s.deleteGroup('/custom/g'), true);
        assert.equal(await s.deleteGroup('/custom/g'), false);
        assert.deepEqual(await s.groups(), []);
        assert.equal(await s.streams('/custom/g'), undefined);
        await s.append('/custom/g', 's', [{ timestampMs: 3, message: 'after delete' }]);
        assert.deepEqual(messages(await s.read('/custom/g', 's')), ['after delete']);
      });
    });

    it('keeps retention per group, removes it when asked and with its group', async () => {
      await using(target, async (s) => {
        await s.createGroup('/a');
        await s.createGroup('/b');
        assert.deepEqual([...(await s.retention())], []);
        await s.setRetention('/a', 7);
        await s.setRetention('/b', 30);
        await s.setRetention('/b', 1);
        assert.deepEqual([...(await s.retention())].sort(), [['/a', 7], ['/b', 1]]);
        await s.setRetention('/a', undefined);
        await s.setRetention('/a', undefined);
        assert.deepEqual([...(await s.retention())], [['/b', 1]]);
        await s.deleteGroup('/b');
        await s.createGroup('/b');
        assert.deepEqual([...(await s.retention())], [], 'a group made again has no retention');
      });
    });

    it('another store on the same files or database sees the groups, events and retention this one wrote', async () => {
      await using(target, async (s, another) => {
        await s.append(G, S, [{ timestampMs: 1, message: 'written here' }]);
        await s.setRetention(G, 14);
        const other = await another();
        assert.deepEqual(messages(await other.read(G, S)), ['written here']);
        assert.deepEqual([...(await other.retention())], [[G, 14]]);
        await other.append(G, S, [{ timestampMs: 2, message: 'written there' }]);
        assert.deepEqual(messages(await s.read(G, S)), ['written here', 'written there']);
      });
    });
  });
}
