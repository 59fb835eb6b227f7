import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { IllegalTransitionError, SandboxStateMachine, type SandboxState } from './sandbox-state.ts';

const log = pino({ level: 'silent' });

describe('SandboxStateMachine', () => {
  const legal: Array<[SandboxState, SandboxState]> = [
    ['Pooled', 'Initializing'],
    ['Initializing', 'Idle'],
    ['Idle', 'Busy'],
    ['Busy', 'Idle'],
    ['Busy', 'Dead'],
    ['Pooled', 'Dead'],
    ['Busy', 'Initializing'],
    ['Idle', 'Initializing'],
  ];
  for (const [from, to] of legal) {
    it(`allows ${from} -> ${to}`, () => {
      const m = new SandboxStateMachine(from, log, 0);
      m.transition(to, 5);
      assert.equal(m.state, to);
      assert.equal(m.since, 5);
    });
  }
  const illegal: Array<[SandboxState, SandboxState]> = [
    ['Pooled', 'Busy'],
    ['Initializing', 'Busy'],
    ['Dead', 'Initializing'],
    ['Dead', 'Idle'],
    ['Busy', 'Busy'],
  ];
  for (const [from, to] of illegal) {
    it(`refuses ${from} -> ${to}`, () => {
      const m = new SandboxStateMachine(from, log, 0);
      assert.throws(() => m.transition(to, 1), IllegalTransitionError);
      assert.equal(m.state, from);
    });
  }
});
