import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Finish, NewAsyncEvent, Requeue } from '../../model/index.ts';
import { openSqliteStorage } from './sqlite-storage.ts';

const event = (functionName: string, n: number): NewAsyncEvent => ({
  requestId: `${functionName}-${n}`,
  functionName,
  qualifier: undefined,
  payload: Buffer.from(JSON.stringify({ n })),
  origin: 'invoke',
});
const LEASE = 1000;
const requeue = (visibleAtMs: number, over: Partial<Requeue> = {}): Requeue => ({ kind: 'requeue', visibleAtMs, invoked: true, functionError: true, response: undefined, counters: ['retried'], ...over });
const finish = (over: Partial<Finish> = {}): Finish => ({ kind: 'finish', to: 'Succeeded', forward: undefined, deadLetter: undefined, counters: ['succeeded'], ...over });

function fresh() {
  const storage = openSqliteStorage(':memory:');
  return { queue: storage.queue, dead: storage.deadLetters };
}

describe('the SQLite event queue and dead-letter store', () => {
  it('hands out a function\'s events in arrival order', async () => {
    const { queue } = fresh();
    for (let i = 0; i < 3; i++) await queue.enqueue(event('a', i), 0);
    const taken = [];
    for (let i = 0; i < 3; i++) taken.push((await queue.take('a', 0, LEASE))?.requestId);
    assert.deepEqual(taken, ['a-0', 'a-1', 'a-2']);
    assert.equal(await queue.take('a', 0, LEASE), undefined);
  });

  it('counts ready events per function', async () => {
    const { queue } = fresh();
    await queue.enqueue(event('a', 0), 0);
    await queue.enqueue(event('a', 1), 0);
    await queue.enqueue(event('b', 0), 0);
    await queue.take('a', 0, LEASE);
    assert.deepEqual([...await queue.readyByFunction(0, 10)].sort(), [['a', 1], ['b', 1]]);
    for (let i = 2; i < 10; i++) await queue.enqueue(event('a', i), 0);
    assert.deepEqual([...await queue.readyByFunction(0, 4)].sort(), [['a', 4], ['b', 1]], 'counts are capped');
    assert.deepEqual([...await queue.readyByFunction(-1, 4)], [], 'nothing is ready before it is due');
  });

  it('makes a leased event ready again when its lease expires (the poller died)', async () => {
    const { queue } = fresh();
    await queue.enqueue(event('a', 0), 0);
    const first = (await queue.take('a', 0, LEASE))!;
    assert.equal(await queue.take('a', LEASE - 1, LEASE), undefined);
    const again = (await queue.take('a', LEASE, LEASE))!;
    assert.equal(again.requestId, first.requestId);
    assert.notEqual(again.leaseToken, first.leaseToken);
    assert.equal(await queue.settle(first, finish(), LEASE), false, 'the lost lease settles nothing');
    assert.equal((await queue.snapshot(LEASE)).depth, 1);
    assert.equal(await queue.settle(again, finish(), LEASE), true);
    assert.equal((await queue.snapshot(LEASE)).depth, 0);
  });

  it('releases every lease at start-up', async () => {
    const { queue } = fresh();
    await queue.enqueue(event('a', 0), 0);
    await queue.take('a', 0, 60_000);
    assert.equal(await queue.releaseAllLeases(5), 1);
    assert.equal((await queue.take('a', 5, LEASE))?.requestId, 'a-0');
  });

  it('delays a requeued event and counts the attempt and the function error', async () => {
    const { queue } = fresh();
    await queue.enqueue(event('a', 0), 0);
    const leased = (await queue.take('a', 0, LEASE))!;
    const response = { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled', payload: Buffer.from('{"errorType":"E"}') };
    assert.equal(await queue.settle(leased, requeue(500, { response }), 10), true);
    assert.equal(await queue.take('a', 499, LEASE), undefined);
    assert.equal(await queue.nextReadyMs(10), 500);
    const again = (await queue.take('a', 500, LEASE))!;
    assert.equal(again.invokeCount, 1);
    assert.equal(again.functionErrorCount, 1);
    assert.deepEqual(again.lastResponse, response);
  });

  it('keeps the last response when a throttle requeues without one', async () => {
    const { queue } = fresh();
    await queue.enqueue(event('a', 0), 0);
    const response = { statusCode: 200, executedVersion: '1', functionError: undefined, payload: Buffer.from('1') };
    await queue.settle((await queue.take('a', 0, LEASE))!, requeue(0, { response }), 0);
    await queue.settle((await queue.take('a', 0, LEASE))!, requeue(0, { invoked: false, functionError: false, response: undefined, counters: ['throttled'] }), 0);
    const e = (await queue.take('a', 0, LEASE))!;
    assert.deepEqual([e.invokeCount, e.functionErrorCount, e.lastResponse?.executedVersion], [1, 1, '1']);
  });

  it('enqueues the destination record in the same transaction as the ack', async () => {
    const { queue } = fresh();
    await queue.enqueue(event('a', 0), 0);
    const forward: NewAsyncEvent = { ...event('dest', 9), origin: 'destination' };
    await queue.settle((await queue.take('a', 0, LEASE))!, finish({ forward, counters: ['succeeded', 'sentToDestination'] }), 7);
    const delivered = (await queue.take('dest', 7, LEASE))!;
    assert.equal(delivered.origin, 'destination');
    assert.equal(delivered.acceptedMs, 7);
    const s = await queue.snapshot(7);
    assert.deepEqual([s.counters.accepted, s.counters.succeeded, s.counters.sentToDestination], [1, 1, 1]);
  });

  it('moves a dead-lettered event to the store, and a redrive moves it back', async () => {
    const { queue, dead } = fresh();
    await queue.enqueue(event('a', 0), 0);
    const leased = (await queue.take('a', 0, LEASE))!;
    await queue.settle(leased, finish({ to: 'DeadLettered', deadLetter: { condition: 'RetriesExhausted', approximateInvokeCount: 3, response: undefined }, counters: ['deadLettered'] }), 9);
    assert.equal((await queue.snapshot(9)).depth, 0);
    const [letter] = await dead.list({ limit: 10 });
    assert.deepEqual([letter?.requestId, letter?.condition, letter?.approximateInvokeCount, letter?.failedMs], ['a-0', 'RetriesExhausted', 3, 9]);
    assert.deepEqual(JSON.parse(letter!.payload.toString()), { n: 0 });
    assert.notEqual(await dead.redrive(letter!.id, 20), undefined);
    assert.equal((await dead.list({ limit: 10 })).length, 0);
    const back = (await queue.take('a', 20, LEASE))!;
    assert.deepEqual([back.requestId, back.origin, back.acceptedMs, back.invokeCount], ['a-0', 'redrive', 20, 0]);
    assert.equal(await dead.redrive(letter!.id, 21), undefined, 'a letter is redriven once');
  });

  it('lists dead letters by function, in pages', async () => {
    const { queue, dead } = fresh();
    for (const fn of ['a', 'b', 'a', 'a']) {
      await queue.enqueue(event(fn, 0), 0);
      await queue.settle((await queue.take(fn, 0, LEASE))!, finish({ to: 'DeadLettered', deadLetter: { condition: 'EventAgeExceeded', approximateInvokeCount: 0, response: undefined }, counters: [] }), 0);
    }
    const page1 = await dead.list({ functionName: 'a', limit: 2 });
    const page2 = await dead.list({ functionName: 'a', limit: 2, afterId: page1.at(-1)!.id });
    assert.deepEqual([page1.length, page2.length], [2, 1]);
    assert.equal(await dead.redriveAll('a', 1), 3);
    assert.equal((await dead.list({ limit: 10 })).length, 1);
  });

  it('reports depth, readiness and the oldest event', async () => {
    const { queue } = fresh();
    await queue.enqueue(event('a', 0), 100);
    await queue.enqueue(event('a', 1), 200);
    await queue.enqueue(event('b', 0), 300);
    await queue.take('a', 300, LEASE);
    const leased = (await queue.take('b', 300, LEASE))!;
    await queue.settle(leased, requeue(5000), 300);
    const s = await queue.snapshot(400);
    assert.deepEqual([s.depth, s.ready, s.inFlight, s.oldestAcceptedMs], [3, 1, 1, 100]);
    assert.deepEqual(s.byFunction.map((f) => [f.functionName, f.depth]), [['a', 2], ['b', 1]]);
  });
});

describe('EventQueue.enqueueAll', () => {
  it('commits several events at once, ids in order, counted as accepted', async () => {
    const { queue } = fresh();
    const ids = await queue.enqueueAll([event('a', 0), event('b', 0), event('a', 1)], 5);
    assert.equal(ids.length, 3);
    assert.deepEqual([...ids].sort((x, y) => x - y), ids);
    assert.equal((await queue.take('a', 5, LEASE))?.id, ids[0]);
    assert.equal((await queue.take('a', 5, LEASE))?.requestId, 'a-1');
    assert.equal((await queue.snapshot(5)).counters.accepted, 3);
    assert.deepEqual(await queue.enqueueAll([], 5), []);
  });
});
