import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { schedule, type FunctionLoad } from './schedule.ts';

const load = (functionName: string, ready: number, inFlight = 0, limit = 1000): FunctionLoad => ({ functionName, ready, inFlight, limit });

describe('schedule', () => {
  const cases: Array<[string, FunctionLoad[], number, string | undefined, string]> = [
    ['takes nothing from an empty queue', [], 4, undefined, ''],
    ['lets a lone function use every slot', [load('a', 10)], 4, undefined, 'a a a a'],
    ['takes no more than a function has ready', [load('a', 2)], 4, undefined, 'a a'],
    ['gives a shallow queue its turn next to a deep backlog', [load('a', 1000), load('b', 1)], 4, undefined, 'a b a a'],
    ['splits the slots evenly between two backlogs', [load('a', 1000), load('b', 1000)], 4, undefined, 'a b a b'],
    ['takes nothing while every slot is busy', [load('a', 100, 4), load('b', 5)], 4, undefined, ''],
    ['gives the next free slot to the function below its share', [load('a', 100, 3), load('b', 5)], 4, undefined, 'b'],
    ['holds back a function over its share while another waits', [load('a', 100, 2), load('b', 10)], 4, undefined, 'b b'],
    ['continues the round-robin after the last function served', [load('a', 5), load('b', 5), load('c', 5)], 1, 'a', 'b'],
    ['wraps the round-robin around', [load('a', 5), load('b', 5), load('c', 5)], 2, 'c', 'a b'],
    ['skips a function that backs off after throttles', [load('a', 5, 0, 0), load('b', 5)], 3, undefined, 'b b b'],
    ['keeps a function at its learned concurrency', [load('a', 5, 0, 1), load('b', 0)], 4, undefined, 'a'],
    ['counts a function with only events in flight as busy for the share', [load('a', 0, 1), load('b', 10), load('c', 10)], 6, undefined, 'b c b c b'],
  ];
  for (const [name, functions, slots, cursor, expected] of cases) {
    it(name, () => assert.equal(schedule({ functions, maxInFlight: slots, cursor }).picks.join(' '), expected));
  }

  it('moves the cursor to the last function picked', () => {
    assert.equal(schedule({ functions: [load('a', 1), load('b', 1)], maxInFlight: 4, cursor: undefined }).cursor, 'b');
    assert.equal(schedule({ functions: [], maxInFlight: 4, cursor: 'x' }).cursor, 'x');
  });

  it('serves every function with work within one round, however many events the first has', () => {
    const functions = [load('deep', 100_000), ...Array.from({ length: 9 }, (_, i) => load(`f${i}`, 1))];
    const picks = schedule({ functions, maxInFlight: 10, cursor: undefined }).picks;
    assert.equal(new Set(picks).size, 10);
  });
});
