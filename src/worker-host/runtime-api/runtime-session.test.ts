import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RuntimeSession, SESSION_TRANSITIONS, type RuntimeSessionState } from './runtime-session.ts';

const STATES: readonly RuntimeSessionState[] = ['Started', 'Initializing', 'Ready', 'Running', 'ResponseSent', 'InitError', 'Failed', 'Closed'];

/** The Runtime API protocol's moves (the comment atop runtime-session.ts draws them). */
const LEGAL: ReadonlyArray<[RuntimeSessionState, RuntimeSessionState]> = [
  ['Started', 'Initializing'], ['Started', 'InitError'], ['Started', 'Failed'],
  ['Initializing', 'Ready'], ['Initializing', 'InitError'], ['Initializing', 'Failed'],
  ['Ready', 'Running'], ['Ready', 'Failed'],
  ['Running', 'ResponseSent'], ['Running', 'Failed'],
  ['ResponseSent', 'Ready'], ['ResponseSent', 'Failed'],
  ['InitError', 'Closed'],
  ['Failed', 'Initializing'], ['Failed', 'Closed'],
];

describe('the Runtime API session transition table', () => {
  for (const from of STATES) {
    for (const to of STATES) {
      const legal = LEGAL.some(([f, t]) => f === from && t === to);
      it(`${legal ? 'allows' : 'refuses'} ${from} -> ${to}`, () => {
        assert.equal(SESSION_TRANSITIONS[from].includes(to), legal);
      });
    }
  }

  it('refuses, through the session, a restart of a runtime that has not failed and a second specialization', () => {
    const session = new RuntimeSession('s1', () => undefined);
    assert.throws(() => session.restart(), /restart\(\) in state Started/);
    session.specialize({ env: {}, handler: 'h' });
    assert.throws(() => session.specialize({ env: {}, handler: 'h' }), /specialize\(\) in state Initializing/);
    session.fail({ errorType: 'Runtime.ExitError', errorMessage: 'exit status 1' });
    session.restart();
    assert.equal(session.state, 'Initializing');
    session.close();
    assert.equal(session.state, 'Closed');
    assert.throws(() => session.restart(), /restart\(\) in state Closed/);
  });
});
