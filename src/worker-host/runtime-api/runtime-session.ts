/**
 * One sandbox's side of the Runtime API: an explicit state machine shared by the worker host
 * (specialize / invoke / fail / close) and the runtime inside the sandbox (the HTTP routes).
 *
 *   Started --specialize--> Initializing --/next--> Ready --invoke+/next--> Running
 *      |                        |                    ^                        |
 *      |                        +--/init/error--> InitError                   | /response, /error
 *      |                                             |                        v
 *      +--(/next parked, then specialize)---------> Ready <--/next------ ResponseSent
 *   any state --fail--> Failed;  any state --close--> Closed   (terminal)
 *   Failed --restart--> Initializing   (the runtime was restarted in the same sandbox)
 *
 * One invocation at a time. Refusals use RIE's state names in their messages.
 */
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { functionError, type FunctionResult, type ResponseSink } from '../../model/index.ts';
import type { Logger } from '../../shared/index.ts';
import {
  type Invocation, type RuntimeInit, type SessionFailure,
  RuntimeInitError, platformErrorPayload,
} from './invocation.ts';
import {
  type RuntimeApiRefusal, RUNTIME_API_ERRORS, invalidStateTransition, renderInvocation, renderSpecialization,
} from './rendering.ts';

export type RuntimeSessionState =
  | 'Started' // opened; the runtime runs function-agnostic and may wait on /flint/specialize
  | 'Initializing' // specialize() called; the runtime runs the function's init phase
  | 'Ready' // init done; the runtime waits on /next and no invocation is in flight
  | 'Running' // an invocation was handed to the runtime; /response or /error is due
  | 'ResponseSent' // the runtime answered and has not asked for the next invocation yet
  | 'InitError' // the runtime reported /init/error (terminal)
  | 'Failed' // fail(): process exited, killed, timed out (terminal until restart())
  | 'Closed'; // close() (terminal)

/** What the worker host may do with a session. Everything else on RuntimeSession is for the routes. */
export interface RuntimeSessionHandle {
  readonly sandboxId: string;
  readonly state: RuntimeSessionState;
  /**
   * Delivers the function's environment and handler to the runtime (once).
   * Pre: state Started. Post: state Initializing (or Ready, when the runtime already waits on /next
   * because it was started with its function environment and never asks for specialization).
   */
  specialize(init: RuntimeInit): void;
  /**
   * Resolves when the runtime finished its init phase (its first /next after specialization).
   * Rejects with RuntimeInitError on /init/error or on fail() before that. Same promise every
   * call until restart().
   */
  ready(): Promise<void>;
  /**
   * A new runtime process replaces the failed one in the same sandbox: forgets the old one's
   * connections and failure and delivers the same function environment again to the new
   * runtime's init phase. Pre: state Failed. Post: state Initializing, a new ready().
   */
  restart(): void;
  /**
   * Hands one invocation to the runtime; resolves with its outcome (never rejects for function errors).
   * Pre: no other invocation in flight (else rejects); calling it before ready() settles queues it.
   * In InitError or Failed it resolves at once with that error. Rejects only when Closed.
   * Deadlines are not enforced here: the host races this promise against its timer and calls fail().
   */
  invoke(inv: Invocation): Promise<FunctionResult>;
  /**
   * Marks the runtime dead (exit, OOM kill, timeout). Settles an in-flight invocation with
   * `{"errorType", "errorMessage":"RequestId: <id> Error: <errorMessage>"}` and rejects a pending ready().
   * Idempotent; no-op in InitError, Failed and Closed.
   */
  fail(reason: SessionFailure): void;
  /** Releases the session's listener or address and closes its connections. Idempotent. */
  close(): void;
}

interface PendingInvocation {
  readonly invocation: Invocation;
  readonly settle: (outcome: FunctionResult) => void;
  delivered: boolean;
}

/**
 * The session's transition table; `#to` refuses every other move (a bug, thrown). The
 * sandbox's lifecycle (sandbox-state.ts) is owned by ManagedSandbox; this is the protocol's
 * finer state inside its Initializing, Idle and Busy.
 */
export const SESSION_TRANSITIONS: Readonly<Record<RuntimeSessionState, readonly RuntimeSessionState[]>> = {
  Started: ['Initializing', 'InitError', 'Failed'],
  Initializing: ['Ready', 'InitError', 'Failed'],
  Ready: ['Running', 'Failed'],
  Running: ['ResponseSent', 'Failed'],
  ResponseSent: ['Ready', 'Failed'],
  InitError: ['Closed'],
  Failed: ['Initializing', 'Closed'],
  Closed: [],
};

const RIE_NAMES: Record<RuntimeSessionState, string> = {
  Started: 'Started', Initializing: 'Started', Ready: 'Ready', Running: 'Running',
  ResponseSent: 'RuntimeResponseSentState', InitError: 'InitError', Failed: 'Failed', Closed: 'Closed',
};

export class RuntimeSession implements RuntimeSessionHandle {
  readonly sandboxId: string;
  #state: RuntimeSessionState = 'Started';
  #init: RuntimeInit | undefined;
  #initDelivered = false;
  #parkedSpecialize: { res: ServerResponse; format: 'json' | 'env0' } | undefined;
  #parkedNext: ServerResponse | undefined;
  #pending: PendingInvocation | undefined;
  #initError: RuntimeInitError | undefined;
  #failure: SessionFailure | undefined;
  #ready!: Promise<void>;
  #settleReady: ((error?: RuntimeInitError) => void) | undefined;
  readonly #sockets = new Set<Socket>();
  readonly #onClose: () => void;
  readonly #log: Logger | undefined;

  constructor(sandboxId: string, onClose: () => void, log?: Logger) {
    this.sandboxId = sandboxId;
    this.#onClose = onClose;
    this.#log = log;
    this.#newReady();
  }

  #newReady(): void {
    this.#ready = new Promise<void>((resolve, reject) => {
      this.#settleReady = (error) => (error ? reject(error) : resolve());
    });
    this.#ready.catch(() => {}); // the host may never ask; the rejection is kept for when it does
  }

  get state(): RuntimeSessionState {
    return this.#state;
  }

  ready(): Promise<void> {
    return this.#ready;
  }

  specialize(init: RuntimeInit): void {
    if (this.#state !== 'Started') throw new Error(`specialize() in state ${this.#state} (sandbox ${this.sandboxId})`);
    this.#init = init;
    this.#to('Initializing');
    if (this.#parkedSpecialize) {
      const { res, format } = this.#parkedSpecialize;
      this.#parkedSpecialize = undefined;
      this.#initDelivered = true;
      renderSpecialization(res, init, format);
    } else if (this.#parkedNext) {
      this.#becomeReady(); // started with its function environment: its init is already done
    }
  }

  invoke(inv: Invocation): Promise<FunctionResult> {
    if (this.#state === 'Closed') return Promise.reject(new Error(`invoke() on closed session ${this.sandboxId}`));
    if (this.#pending) return Promise.reject(new Error(`invoke() while ${this.#pending.invocation.requestId} is in flight`));
    if (this.#state === 'InitError') {
      return Promise.resolve(functionError(this.#initError!.errorType, this.#initError!.payload));
    }
    if (this.#state === 'Failed') return Promise.resolve(this.#failureOutcome(inv.requestId));
    return new Promise((resolve) => {
      this.#pending = { invocation: inv, settle: resolve, delivered: false };
      if (this.#state === 'Ready') this.#deliverIfParked();
    });
  }

  fail(reason: SessionFailure): void {
    if (this.#isTerminal()) return;
    this.#failure = reason;
    const wasReady = this.#settleReady === undefined;
    this.#to('Failed');
    if (!wasReady) {
      this.#rejectReady(new RuntimeInitError(reason.errorType, platformErrorPayload(undefined, reason.errorType, reason.errorMessage)));
    }
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.settle(this.#failureOutcome(pending.invocation.requestId));
    this.#dropParked();
  }

  restart(): void {
    if (this.#state !== 'Failed' || this.#init === undefined) throw new Error(`restart() in state ${this.#state} (sandbox ${this.sandboxId})`);
    for (const socket of this.#sockets) socket.destroy(); // the old runtime's connections
    this.#sockets.clear();
    this.#failure = undefined;
    this.#initDelivered = false;
    this.#newReady();
    this.#to('Initializing');
  }

  close(): void {
    if (this.#state === 'Closed') return;
    this.fail({ errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited without providing a reason' });
    this.#to('Closed');
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    this.#onClose();
  }

  // ---- runtime side (called by the route handlers) ----

  /** Registers a connection of this sandbox so close() can end it. */
  trackSocket(socket: Socket): void {
    if (this.#state === 'Closed') {
      socket.destroy();
      return;
    }
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
  }

  /** `GET /flint/specialize`: answers now if specialize() happened, else parks the request. */
  onSpecializeRequest(res: ServerResponse, format: 'json' | 'env0'): RuntimeApiRefusal | undefined {
    if (this.#state === 'Started' && !this.#isOpen(this.#parkedSpecialize?.res) && !this.#parkedNext) {
      this.#parkedSpecialize = { res, format };
      res.once('close', () => {
        if (this.#parkedSpecialize?.res === res) this.#parkedSpecialize = undefined;
      });
      return undefined;
    }
    if (this.#state === 'Initializing' && !this.#initDelivered) {
      this.#initDelivered = true;
      renderSpecialization(res, this.#init!, format);
      return undefined;
    }
    if (this.#isTerminal()) return RUNTIME_API_ERRORS.internal;
    return invalidStateTransition(RIE_NAMES[this.#state], 'Specializing');
  }

  /** `GET /runtime/invocation/next`: parks the long poll and hands over an invocation when there is one. */
  onNext(res: ServerResponse): RuntimeApiRefusal | undefined {
    const state = this.#state;
    if (state === 'Failed' || state === 'Closed') return RUNTIME_API_ERRORS.internal;
    if (state === 'Running' || state === 'InitError' || this.#isOpen(this.#parkedNext)) {
      return invalidStateTransition(RIE_NAMES[state], 'Ready');
    }
    this.#parkedNext = res;
    res.once('close', () => {
      if (this.#parkedNext === res) this.#parkedNext = undefined;
    });
    if (state === 'Initializing') this.#becomeReady();
    else if (state === 'ResponseSent') this.#to('Ready');
    if (this.#state === 'Ready') this.#deliverIfParked();
    return undefined;
  }

  /** Checks, before its body is read, whether `/response` or `/error` for `requestId` may proceed. */
  checkAnswer(requestId: string, kind: 'response' | 'error'): RuntimeApiRefusal | undefined {
    switch (this.#state) {
      case 'Running':
        return this.#pending?.invocation.requestId === requestId ? undefined : RUNTIME_API_ERRORS.invalidRequestId;
      case 'Ready':
      case 'ResponseSent':
        return RUNTIME_API_ERRORS.invalidRequestId; // unknown, or already answered
      case 'Failed':
      case 'Closed':
        return RUNTIME_API_ERRORS.internal;
      default:
        return invalidStateTransition(RIE_NAMES[this.#state], kind === 'response' ? 'InvocationResponse' : 'InvocationErrorResponse');
    }
  }

  /** Where a streamed answer for `requestId` goes; undefined when it is buffered (or not the invocation in flight). */
  responseSink(requestId: string): ResponseSink | undefined {
    const pending = this.#pending;
    return pending?.invocation.requestId === requestId ? pending.invocation.sink : undefined;
  }

  /** Settles the in-flight invocation with the runtime's answer. Re-checks: the state may have moved while the body was read. */
  completeInvocation(requestId: string, outcome: FunctionResult): RuntimeApiRefusal | undefined {
    const refusal = this.checkAnswer(requestId, outcome.functionError === undefined ? 'response' : 'error');
    if (refusal) return refusal;
    const pending = this.#pending!;
    this.#pending = undefined;
    this.#to('ResponseSent');
    pending.settle(outcome);
    return undefined;
  }

  /** Checks whether `/init/error` may proceed (only before the first /next of the init phase). */
  checkInitError(): RuntimeApiRefusal | undefined {
    if (this.#state === 'Started' || this.#state === 'Initializing') return undefined;
    if (this.#isTerminal() && this.#state !== 'InitError') return RUNTIME_API_ERRORS.internal;
    return invalidStateTransition(RIE_NAMES[this.#state], 'InitError');
  }

  /** `/init/error`: the init phase failed; its error document answers the waiting (or next) invocation. */
  onInitError(errorType: string, payload: Buffer): RuntimeApiRefusal | undefined {
    const refusal = this.checkInitError();
    if (refusal) return refusal;
    this.#initError = new RuntimeInitError(errorType, payload);
    this.#to('InitError');
    this.#rejectReady(this.#initError);
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.settle(functionError(errorType, payload));
    this.#dropParked();
    return undefined;
  }

  // ---- internals ----

  #becomeReady(): void {
    this.#to('Ready');
    const settle = this.#settleReady;
    this.#settleReady = undefined;
    settle?.();
  }

  #rejectReady(error: RuntimeInitError): void {
    const settle = this.#settleReady;
    this.#settleReady = undefined;
    settle?.(error);
  }

  #deliverIfParked(): void {
    const pending = this.#pending;
    const res = this.#parkedNext;
    if (!pending || pending.delivered || !this.#isOpen(res)) return;
    this.#parkedNext = undefined;
    pending.delivered = true;
    this.#to('Running');
    renderInvocation(res!, pending.invocation);
  }

  #failureOutcome(requestId: string): FunctionResult {
    const { errorType, errorMessage } = this.#failure!;
    return functionError(errorType, platformErrorPayload(requestId, errorType, errorMessage));
  }

  #dropParked(): void {
    for (const res of [this.#parkedNext, this.#parkedSpecialize?.res]) {
      if (this.#isOpen(res)) res!.destroy();
    }
    this.#parkedNext = undefined;
    this.#parkedSpecialize = undefined;
  }

  #isOpen(res: ServerResponse | undefined): boolean {
    return res !== undefined && !res.writableEnded && res.socket !== null && !res.socket.destroyed;
  }

  #isTerminal(): boolean {
    return this.#state === 'InitError' || this.#state === 'Failed' || this.#state === 'Closed';
  }

  #to(next: RuntimeSessionState): void {
    const from = this.#state;
    if (!SESSION_TRANSITIONS[from].includes(next)) throw new Error(`runtime session ${this.sandboxId} cannot go from ${from} to ${next}`);
    this.#state = next;
    this.#log?.debug({ sandboxId: this.sandboxId, from, to: next }, 'runtime session');
  }
}
