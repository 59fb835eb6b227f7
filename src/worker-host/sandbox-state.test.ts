import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { IllegalTransitionError, SANDBOX_STATES, SandboxStateMachine, type SandboxState } from './sandbox-state.ts';

const log = pino({ level: 'silent' });

/** The lifecycle as docs/lifecycle.md draws it: every legal move, and why. */
const LEGAL: ReadonlyArray<[SandboxState, SandboxState, string]> = [
  ['Pooled', 'Initializing', 'a pooled cell is specialised for one version'],
  ['Pooled', 'Dead', 'the pool closes'],
  ['Initializing', 'Idle', 'the init phase ended (or failed: the error is served once)'],
  ['Initializing', 'Dead', 'destroyed during init'],
  ['Idle', 'Busy', 'an invocation starts'],
  ['Idle', 'Resetting', 'the runtime exited while idle'],
  ['Idle', 'Dead', 'reclaimed, evicted, retired'],
  ['Busy', 'Idle', 'the runtime answered'],
  ['Busy', 'Resetting', 'timeout or runtime exit: the runtime restarts in the same sandbox'],
  ['Busy', 'Dead', 'OOM kill, failed init served, a driver that cannot restart'],
  ['Resetting', 'Initializing', 'the old runtime is gone, the new one runs its init phase'],
  ['Resetting', 'Dead', 'the sandbox itself ended during the restart'],
];

/** Legal moves that lead from Pooled to each state. */
const PATH: Record<SandboxState, SandboxState[]> = {
  Pooled: [],
  Initializing: ['Initializing'],
  Idle: ['Initializing', 'Idle'],
  Busy: ['Initializing', 'Idle', 'Busy'],
  Resetting: ['Initializing', 'Idle', 'Busy', 'Resetting'],
  Dead: ['Dead'],
};

function machineIn(state: SandboxState): SandboxStateMachine {
  const m = new SandboxStateMachine(log, 0);
  for (const step of PATH[state]) m.transition(step, 1);
  assert.equal(m.state, state);
  return m;
}

describe('the sandbox transition table', () => {
  it('starts every sandbox in Pooled', () => {
    assert.equal(new SandboxStateMachine(log, 7).state, 'Pooled');
  });

  for (const from of SANDBOX_STATES) {
    for (const to of SANDBOX_STATES) {
      const legal = LEGAL.find(([f, t]) => f === from && t === to);
      if (legal) {
        it(`allows ${from} -> ${to} (${legal[2]})`, () => {
          const m = machineIn(from);
          assert.equal(m.can(to), true);
          m.transition(to, 5);
          assert.equal(m.state, to);
          assert.equal(m.since, 5);
        });
      } else {
        it(`refuses ${from} -> ${to}`, () => {
          const m = machineIn(from);
          assert.equal(m.can(to), false);
          assert.throws(() => m.transition(to, 5), IllegalTransitionError);
          assert.equal(m.state, from, 'a refused move changes nothing');
          assert.equal(m.since, from === 'Pooled' ? 0 : 1);
        });
      }
    }
  }
});
