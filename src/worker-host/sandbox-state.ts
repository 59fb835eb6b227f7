/**
 * The declared states of one sandbox and the only moves between them:
 *
 *   Pooled --specialise--> Initializing --init done--> Idle <--claim/release--> Busy
 *      \                        |  ^                     |                      |
 *       \                       |  `--runtime restart----+----------------------'
 *        `----------------------+------------------------+-------> Dead <-------'
 *
 * Pooled: pre-started and function-agnostic. Initializing: holds one version's
 * code and runs its init phase (again after a timeout or a runtime exit: the runtime
 * restarts in the same sandbox, as in Lambda). Idle: warm, waiting for an invocation. Busy:
 * running exactly one invocation. Dead: ended; every resource released.
 */
import type { Logger } from '../shared/index.ts';

export type SandboxState = 'Pooled' | 'Initializing' | 'Idle' | 'Busy' | 'Dead';

const ALLOWED: Readonly<Record<SandboxState, readonly SandboxState[]>> = {
  Pooled: ['Initializing', 'Dead'],
  Initializing: ['Idle', 'Dead'],
  Idle: ['Busy', 'Initializing', 'Dead'],
  Busy: ['Idle', 'Initializing', 'Dead'],
  Dead: [],
};

export class IllegalTransitionError extends Error {}

export class SandboxStateMachine {
  #state: SandboxState;
  #since: number;
  readonly #log: Logger;

  constructor(initial: SandboxState, log: Logger, now: number) {
    this.#state = initial;
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

  /** Moves to `to`; throws IllegalTransitionError for a move the diagram does not allow. */
  transition(to: SandboxState, now: number, reason?: string): void {
    if (!ALLOWED[this.#state].includes(to)) {
      throw new IllegalTransitionError(`sandbox cannot go from ${this.#state} to ${to}`);
    }
    this.#log.debug({ from: this.#state, to, reason }, 'sandbox state');
    this.#state = to;
    this.#since = now;
  }
}
