import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deadInstances, type DeadInstance } from './dead-instances.ts';
import type { FoundClaim } from './instance-claim.ts';

const claim = (index: number, name: string | undefined, alive: boolean): FoundClaim => ({
  index, owner: name === undefined ? undefined : { name, stateDir: `/state/${name}` }, alive,
});
const stateDir = (name: string) => `/run/flint-sandbox/${name}`;

const cases: { name: string; claims: FoundClaim[]; onMachine: string[]; dead: DeadInstance[] }[] = [
  { name: 'nothing on the machine: nothing to reap', claims: [], onMachine: [], dead: [] },
  { name: 'a live instance keeps everything', claims: [claim(1, 'a', true)], onMachine: ['a'], dead: [] },
  {
    name: 'a dead claim is reaped with its state directory and the default one',
    claims: [claim(1, 'a', true), claim(2, 'b', false)], onMachine: ['a', 'b'],
    dead: [{ name: 'b', stateDirs: ['/state/b', stateDir('b')], claims: [2] }],
  },
  {
    name: 'a dead claim with nothing left on the machine still goes',
    claims: [claim(3, 'c', false)], onMachine: [],
    dead: [{ name: 'c', stateDirs: ['/state/c'], claims: [3] }],
  },
  {
    name: 'a name on the machine without any claim is a dead instance\'s',
    claims: [claim(1, 'a', true)], onMachine: ['a', 'x'],
    dead: [{ name: 'x', stateDirs: [stateDir('x')], claims: [] }],
  },
  {
    name: 'an unreadable claim goes as a file only',
    claims: [claim(4, undefined, false)], onMachine: [],
    dead: [{ name: undefined, stateDirs: [], claims: [4] }],
  },
  {
    name: 'a dead claim of a name that lives on under another claim goes as a file only',
    claims: [claim(5, 'a', false), claim(6, 'a', true)], onMachine: ['a'],
    dead: [{ name: undefined, stateDirs: [], claims: [5] }],
  },
  {
    name: 'a dead claim with an invalid name goes as a file only',
    claims: [claim(9, 'Not-A-Name', false)], onMachine: [],
    dead: [{ name: undefined, stateDirs: [], claims: [9] }],
  },
  {
    name: 'two dead claims of one name are reaped once',
    claims: [claim(7, 'd', false), claim(8, 'd', false)], onMachine: ['d'],
    dead: [{ name: 'd', stateDirs: ['/state/d', stateDir('d')], claims: [7, 8] }],
  },
];

for (const c of cases) {
  test(`dead instances: ${c.name}`, () => {
    assert.deepEqual(deadInstances(c.claims, c.onMachine, stateDir), c.dead);
  });
}
