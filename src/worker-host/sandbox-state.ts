/**
 * The lifecycle of one sandbox: its states and the only moves between them. One
 * machine owns it (the ManagedSandbox's); the worker manager reads it through
 * `alive`, and the Runtime API session keeps only the protocol's finer state.
 *
 *   Pooled --specialise--> Initializing --init done / init failed--> Idle <--invoke / answer--> Busy
 *                               ^                                     |                          |
 *                               |                                     | runtime exited           | timeout, runtime exited
 *                               '--------old runtime gone--- Resetting <--------------------------'
 *
 *   every state but Dead --destroy--> Dead   (OOM kill, failed init served, reclaim, eviction, shutdown)
 *
 * Pooled: started, function-agnostic, in the SandboxPool. Initializing: holds one version's
 * code and runs its init phase (again after a restart). Idle: waiting for an invocation
 * (after a failed init it serves that error once, then goes Dead). Busy: running exactly one
 * invocation. Resetting: the runtime timed out or exited; every process of it is being
 * killed, the sandbox (/tmp, cgroups, network) stays, and the runtime starts again. Dead:
 * ended; every resource released.
 */
import type { Logger } from '../shared/index.ts';

export type SandboxState = 'Pooled' | 'Initializing' | 'Idle' | 'Busy' | 'Resetting' | 'Dead';

export const SANDBOX_STATES: readonly SandboxState[] = ['Pooled', 'Initializing', 'Idle', 'Busy', 'Resetting', 'Dead'];

/** The transition table: from each state, the states it may move to. Anything else is refused. */
export const SANDBOX_TRANSITIONS: Readonly<Record<SandboxState, readonly SandboxState[]>> = {
  Pooled: ['Initializing', 'Dead'],
  Initializing: ['Idle', 'Dead'],
  Idle: ['Busy', 'Resetting', 'Dead'],
  Busy: ['Idle', 'Resetting', 'Dead'],
  Resetting: ['Initializing', 'Dead'],
  Dead: [],
};

export class IllegalTransitionError extends Error {}

export class SandboxStateMachine {
  #state: SandboxState;
  #since: number;
  readonly #log: Logger;

  /** A sandbox's life starts in the pool. */
  constructor(log: Logger, now: number) {
    this.#state = 'Pooled';
    this.#since = now;
    this.#log = log;
  }

  get state(): SandboxState {
    return this.#state;
  }

  /** Time of the last transition (ms since epoch). */
  get since(): number {
    return this.#since;
  }

  /** Whether the table allows moving to `to` from the current state. */
  can(to: SandboxState): boolean {
    return SANDBOX_TRANSITIONS[this.#state].includes(to);
  }

  /** Moves to `to`; throws IllegalTransitionError for a move the table does not allow. */
  transition(to: SandboxState, now: number, reason?: string): void {
    if (!this.can(to)) throw new IllegalTransitionError(`sandbox cannot go from ${this.#state} to ${to}`);
    this.#log.debug({ from: this.#state, to, reason }, 'sandbox state');
    this.#state = to;
    this.#since = now;
  }
}
