/** Contract: the async event queue, dead letters and redrive. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttemptResponse, LeasedEvent, Settlement } from '../../model/index.ts';
import type { Storage } from '../ports.ts';
import { event, using, type StorageContractTarget } from './contract-support.ts';

const LEASE_MS = 1_000;

const response = (text: string): AttemptResponse => ({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled', payload: Buffer.from(text) });

const requeue = (visibleAtMs: number, over: Partial<Extract<Settlement, { kind: 'requeue' }>> = {}): Settlement => ({
  kind: 'requeue', visibleAtMs, invoked: true, functionError: true, response: undefined, counters: ['retried'], ...over,
});

const finish = (over: Partial<Extract<Settlement, { kind: 'finish' }>> = {}): Settlement => ({
  kind: 'finish', to: 'Succeeded', forward: undefined, deadLetter: undefined, counters: ['succeeded'], ...over,
});

async function takeOrFail(s: Storage, fn: string, nowMs: number): Promise<LeasedEvent> {
  const leased = await s.queue.take(fn, nowMs, LEASE_MS);
  assert.ok(leased, `an event of ${fn} is ready at ${nowMs}`);
  return leased;
}

/** Enqueues an event and dead-letters it; the letter's id. */
async function deadLetter(s: Storage, fn: string, n: number, nowMs: number): Promise<number> {
  await s.queue.enqueue(event(fn, n), nowMs);
  const leased = await takeOrFail(s, fn, nowMs);
  const settled = finish({ to: 'DeadLettered', deadLetter: { condition: 'RetriesExhausted', approximateInvokeCount: 3, response: response(`r${n}`) }, counters: ['deadLettered'] });
  assert.equal(await s.queue.settle(leased, settled, nowMs + 1), true);
  const [letter] = (await s.deadLetters.list({ functionName: fn, limit: 1_000 })).filter((d) => d.requestId === `req-${fn}-${n}`);
  return letter!.id;
}

export function queueContract(target: StorageContractTarget): void {
  describe('async event queue', () => {
    it('enqueues events with increasing ids and leases the oldest ready one of a function, with what was enqueued', () =>
      using(target, async (s) => {
        const a = await s.queue.enqueue(event('f', 1, { qualifier: 'live' }), 100);
        const b = await s.queue.enqueue(event('f', 2), 101);
        assert.ok(b > a);
        const leased = await takeOrFail(s, 'f', 200);
        assert.equal(leased.id, a);
        assert.deepEqual(
          { requestId: leased.requestId, functionName: leased.functionName, qualifier: leased.qualifier, payload: leased.payload, origin: leased.origin, acceptedMs: leased.acceptedMs },
          { requestId: 'req-f-1', functionName: 'f', qualifier: 'live', payload: Buffer.from('{"n":1}'), origin: 'invoke', acceptedMs: 100 },
        );
        assert.equal(leased.lastResponse, undefined);
        assert.equal(leased.invokeCount, 0);
        assert.equal(leased.functionErrorCount, 0);
        assert.equal((await takeOrFail(s, 'f', 200)).id, b);
        assert.equal(await s.queue.take('f', 200, LEASE_MS), undefined);
        assert.equal(await s.queue.take('other', 200, LEASE_MS), undefined);
      }));

    it('enqueueAll commits several events, ids in order', () =>
      using(target, async (s) => {
        const ids = await s.queue.enqueueAll([event('f', 1), event('g', 2), event('f', 3)], 5);
        assert.equal(ids.length, 3);
        assert.ok(ids[0]! < ids[1]! && ids[1]! < ids[2]!);
        assert.deepEqual(await s.queue.enqueueAll([], 5), []);
        assert.equal((await takeOrFail(s, 'f', 5)).requestId, 'req-f-1');
        assert.equal((await takeOrFail(s, 'f', 5)).requestId, 'req-f-3');
        assert.equal((await s.queue.snapshot(5)).counters.accepted, 3);
      }));

    it('counts ready events per function, capped', () =>
      using(target, async (s) => {
        for (let i = 0; i < 5; i++) await s.queue.enqueue(event('f', i), 10);
        await s.queue.enqueue(event('g', 9), 10);
        await s.queue.enqueue(event('h', 9), 50);
        assert.deepEqual(await s.queue.readyByFunction(20, 3), new Map([['f', 3], ['g', 1]]));
        await takeOrFail(s, 'g', 20);
        assert.deepEqual(await s.queue.readyByFunction(60, 10), new Map([['f', 5], ['h', 1]]));
      }));

    it('an unsettled lease expires: the event is taken again under a new lease, and the old lease settles nothing', () =>
      using(target, async (s) => {
        await s.queue.enqueue(event('f', 1), 0);
        const first = await takeOrFail(s, 'f', 0);
        assert.equal(await s.queue.take('f', LEASE_MS - 1, LEASE_MS), undefined);
        assert.equal(await s.queue.nextReadyMs(0), LEASE_MS);
        const second = await takeOrFail(s, 'f', LEASE_MS);
        assert.equal(second.id, first.id);
        assert.notEqual(second.leaseToken, first.leaseToken);
        assert.equal(await s.queue.settle(first, finish(), LEASE_MS + 1), false);
        assert.equal((await s.queue.snapshot(LEASE_MS + 1)).depth, 1);
        assert.equal(await s.queue.settle(second, finish(), LEASE_MS + 1), true);
        assert.equal(await s.queue.settle(second, finish(), LEASE_MS + 2), false);
        assert.equal((await s.queue.snapshot(LEASE_MS + 2)).depth, 0);
      }));

    it('a requeue makes the event ready at its time, adds the attempt, and keeps the last response unless given a new one', () =>
      using(target, async (s) => {
        await s.queue.enqueue(event('f', 1), 0);
        let leased = await takeOrFail(s, 'f', 0);
        assert.equal(await s.queue.settle(leased, requeue(500, { response: response('first') }), 1), true);
        assert.equal(await s.queue.take('f', 499, LEASE_MS), undefined);
        assert.equal(await s.queue.nextReadyMs(1), 500);
        leased = await takeOrFail(s, 'f', 500);
        assert.deepEqual([leased.invokeCount, leased.functionErrorCount], [1, 1]);
        assert.deepEqual(leased.lastResponse, response('first'));
        assert.equal(await s.queue.settle(leased, requeue(600, { invoked: false, functionError: false, counters: ['throttled'] }), 501), true);
        leased = await takeOrFail(s, 'f', 600);
        assert.deepEqual([leased.invokeCount, leased.functionErrorCount], [1, 1]);
        assert.deepEqual(leased.lastResponse, response('first'));
        assert.equal(await s.queue.settle(leased, requeue(700, { functionError: false, response: response('second') }), 601), true);
        leased = await takeOrFail(s, 'f', 700);
        assert.deepEqual([leased.invokeCount, leased.functionErrorCount], [2, 1]);
        assert.deepEqual(leased.lastResponse, response('second'));
        const { counters } = await s.queue.snapshot(700);
        assert.deepEqual([counters.retried, counters.throttled], [2, 1]);
      }));

    it('a finish removes the event and enqueues its destination record in the same step', () =>
      using(target, async (s) => {
        await s.queue.enqueue(event('f', 1), 0);
        const leased = await takeOrFail(s, 'f', 0);
        const forward = event('dest', 7, { origin: 'destination', qualifier: '$LATEST' });
        assert.equal(await s.queue.settle(leased, finish({ to: 'Failed', forward, counters: ['sentToDestination'] }), 10), true);
        assert.equal(await s.queue.take('f', 10, LEASE_MS), undefined);
        const delivered = await takeOrFail(s, 'dest', 10);
        assert.deepEqual([delivered.requestId, delivered.origin, delivered.qualifier, delivered.acceptedMs, delivered.payload], ['req-dest-7', 'destination', '$LATEST', 10, forward.payload]);
        assert.equal((await s.queue.snapshot(10)).counters.sentToDestination, 1);
      }));

    it('a dead-lettering finish moves the event to the dead letters with its condition and response', () =>
      using(target, async (s) => {
        const id = await deadLetter(s, 'f', 1, 100);
        const letter = await s.deadLetters.get(id);
        assert.ok(letter);
        assert.deepEqual(
          [letter.requestId, letter.functionName, letter.payload, letter.acceptedMs, letter.failedMs, letter.condition, letter.approximateInvokeCount, letter.origin],
          ['req-f-1', 'f', Buffer.from('{"n":1}'), 100, 101, 'RetriesExhausted', 3, 'invoke'],
        );
        assert.deepEqual(letter.lastResponse, response('r1'));
        const snap = await s.queue.snapshot(200);
        assert.deepEqual([snap.depth, snap.deadLetters, snap.counters.deadLettered], [0, 1, 1]);
      }));

    it('renewLeases extends the leases still held, in one call, and names them; a lost, settled or foreign lease is not renewed', () =>
      using(target, async (s) => {
        await s.queue.enqueueAll([event('f', 1), event('f', 2), event('g', 3), event('g', 4)], 0);
        const a = await takeOrFail(s, 'f', 0);
        const b = await takeOrFail(s, 'f', 0);
        const c = await takeOrFail(s, 'g', 0);
        const d = await takeOrFail(s, 'g', 0);
        assert.equal(await s.queue.settle(d, finish(), 10), true);
        assert.deepEqual(await s.queue.renewLeases([], 5_000), []);
        // c's token with a's id matches no row: a lease is an (event, token) pair
        const renewed = await s.queue.renewLeases([a, b, { id: a.id, leaseToken: c.leaseToken }, d], 5_000);
        assert.deepEqual(new Set(renewed), new Set([a.leaseToken, b.leaseToken]));
        assert.equal(renewed.length, 2);
        // past the first lease, a and b are still held; c (not renewed) is ready again and taken under a new lease
        assert.equal(await s.queue.take('f', LEASE_MS, LEASE_MS), undefined);
        assert.deepEqual(await s.queue.readyByFunction(LEASE_MS, 10), new Map([['g', 1]]));
        assert.equal(await s.queue.nextReadyMs(LEASE_MS), 5_000);
        const again = await takeOrFail(s, 'g', LEASE_MS);
        assert.equal(again.id, c.id);
        // c's old holder renews late: its lease was lost, the new one stands
        assert.deepEqual(await s.queue.renewLeases([c], 9_000), []);
        assert.equal(await s.queue.settle(c, finish(), LEASE_MS + 1), false);
        assert.equal(await s.queue.settle(again, finish(), LEASE_MS + 1), true);
        // a lease expired but not taken again is still the holder's: renewing it keeps the event
        assert.equal(await s.queue.settle(b, finish(), LEASE_MS + 1), true);
        assert.deepEqual(await s.queue.renewLeases([a], 12_000), [a.leaseToken]);
        assert.equal(await s.queue.take('f', 11_000, LEASE_MS), undefined);
        assert.equal((await takeOrFail(s, 'f', 12_000)).id, a.id);
      }));

    it('renewLeases of two storages on one database touch only their own leases', () =>
      using(target, async (s, another) => {
        const t = await another();
        await s.queue.enqueueAll([event('f', 1), event('f', 2)], 0);
        const mine = await takeOrFail(s, 'f', 0);
        const theirs = await takeOrFail(t, 'f', 0);
        assert.deepEqual(await s.queue.renewLeases([mine], 5_000), [mine.leaseToken]);
        assert.deepEqual(await t.queue.renewLeases([theirs], 7_000), [theirs.leaseToken]);
        assert.equal(await t.queue.nextReadyMs(0), 5_000);
        assert.equal((await takeOrFail(t, 'f', 5_000)).id, mine.id);
        assert.equal(await s.queue.take('f', 5_000, LEASE_MS), undefined, 'theirs is still held');
      }));

    it('releaseAllLeases makes every leased event ready now', () =>
      using(target, async (s) => {
        await s.queue.enqueueAll([event('f', 1), event('f', 2), event('g', 3)], 0);
        await takeOrFail(s, 'f', 0);
        await takeOrFail(s, 'g', 0);
        assert.equal(await s.queue.releaseAllLeases(10), 2);
        assert.deepEqual(await s.queue.readyByFunction(10, 10), new Map([['f', 2], ['g', 1]]));
      }));

    it('snapshots depth, ready, in flight, the oldest event, per-function depths and every counter', () =>
      using(target, async (s) => {
        const empty = await s.queue.snapshot(0);
        assert.deepEqual([empty.depth, empty.ready, empty.inFlight, empty.oldestAcceptedMs, empty.byFunction, empty.deadLetters], [0, 0, 0, undefined, [], 0]);
        assert.ok(Object.values(empty.counters).every((v) => v === 0));
        assert.equal(await s.queue.nextReadyMs(0), undefined);
        await s.queue.enqueue(event('g', 1), 10);
        await s.queue.enqueue(event('f', 2), 20);
        await s.queue.enqueue(event('f', 3), 30);
        const leased = await takeOrFail(s, 'g', 30);
        await s.queue.settle(await takeOrFail(s, 'f', 30), requeue(1_000), 30);
        const snap = await s.queue.snapshot(40);
        assert.deepEqual([snap.depth, snap.ready, snap.inFlight, snap.oldestAcceptedMs], [3, 1, 1, 10]);
        assert.deepEqual(snap.byFunction, [{ functionName: 'f', depth: 2, oldestAcceptedMs: 20 }, { functionName: 'g', depth: 1, oldestAcceptedMs: 10 }]);
        assert.deepEqual([snap.counters.accepted, snap.counters.retried], [3, 1]);
        assert.equal(leased.functionName, 'g');
      }));

    it('pollers of two storages on one database taking at once never lease one event twice', () =>
      using(target, async (s, another) => {
        const t = await another();
        const events = Array.from({ length: 60 }, (_, i) => event(i % 2 === 0 ? 'f' : 'g', i));
        await s.queue.enqueueAll(events, 0);
        const taken: number[] = [];
        const poller = async (on: Storage, fn: string): Promise<void> => {
          for (;;) {
            const leased = await on.queue.take(fn, 1, 60_000);
            if (leased === undefined) return;
            taken.push(leased.id);
          }
        };
        await Promise.all([s, t, s, t].flatMap((on) => [poller(on, 'f'), poller(on, 'g')]));
        assert.equal(new Set(taken).size, taken.length, 'no event leased twice');
        assert.equal(taken.length, 60);
      }));
  });

  describe('dead letters', () => {
    it('lists letters by id, of one function or all, after an id, up to a limit', () =>
      using(target, async (s) => {
        const a = await deadLetter(s, 'f', 1, 0);
        const b = await deadLetter(s, 'g', 2, 0);
        const c = await deadLetter(s, 'f', 3, 0);
        assert.deepEqual((await s.deadLetters.list({ limit: 10 })).map((d) => d.id), [a, b, c]);
        assert.deepEqual((await s.deadLetters.list({ functionName: 'f', limit: 10 })).map((d) => d.id), [a, c]);
        assert.deepEqual((await s.deadLetters.list({ afterId: a, limit: 1 })).map((d) => d.id), [b]);
        assert.equal(await s.deadLetters.get(c + 1_000), undefined);
      }));

    it('redrives one letter back to the queue as a fresh event with its request id', () =>
      using(target, async (s) => {
        const id = await deadLetter(s, 'f', 1, 0);
        const queued = await s.deadLetters.redrive(id, 500);
        assert.ok(queued !== undefined);
        assert.equal(await s.deadLetters.get(id), undefined);
        assert.equal(await s.deadLetters.redrive(id, 500), undefined);
        const leased = await takeOrFail(s, 'f', 500);
        assert.deepEqual([leased.id, leased.requestId, leased.origin, leased.acceptedMs, leased.invokeCount, leased.payload], [queued, 'req-f-1', 'redrive', 500, 0, Buffer.from('{"n":1}')]);
        const snap = await s.queue.snapshot(500);
        assert.deepEqual([snap.deadLetters, snap.counters.redriven], [0, 1]);
      }));

    it('redrives every letter, or every letter of one function', () =>
      using(target, async (s) => {
        await deadLetter(s, 'f', 1, 0);
        await deadLetter(s, 'g', 2, 0);
        await deadLetter(s, 'f', 3, 0);
        assert.equal(await s.deadLetters.redriveAll('f', 10), 2);
        assert.deepEqual((await s.deadLetters.list({ limit: 10 })).map((d) => d.functionName), ['g']);
        assert.deepEqual(await s.queue.readyByFunction(10, 10), new Map([['f', 2]]));
        assert.equal((await takeOrFail(s, 'f', 10)).requestId, 'req-f-1');
        assert.equal(await s.deadLetters.redriveAll(undefined, 20), 1);
        assert.equal(await s.deadLetters.redriveAll(undefined, 20), 0);
        assert.equal((await s.queue.snapshot(20)).counters.redriven, 3);
      }));
  });
}
