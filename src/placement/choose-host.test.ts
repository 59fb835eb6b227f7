import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chooseHost, type HostView } from './choose-host.ts';

const host = (id: string, inUse: number, ofFunction = 0, healthy = true): HostView => ({ id, healthy, memoryBudgetMb: 1024, memoryInUseMb: inUse, sandboxesOfFunction: ofFunction });

describe('chooseHost', () => {
  const cases: Array<[string, HostView[], number, string | undefined]> = [
    ['packs onto the fullest host that fits', [host('a', 100), host('b', 500)], 128, 'b'],
    ['skips a host without room', [host('a', 100), host('b', 1000)], 128, 'a'],
    ['spreads one function over hosts first', [host('a', 100, 0), host('b', 500, 2)], 128, 'a'],
    ['never places on an unhealthy host', [host('a', 0, 0, false)], 128, undefined],
    ['answers none when every host is full', [host('a', 1000)], 128, undefined],
  ];
  for (const [name, hosts, mb, expected] of cases) it(name, () => assert.equal(chooseHost(hosts, mb), expected));
});
