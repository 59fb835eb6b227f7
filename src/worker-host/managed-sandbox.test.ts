import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { functionError, type FunctionResult, type InvocationRequest } from '../model/index.ts';
import { functionVersion } from '../model/testing/function-version.ts';
import { LogCapture, type LogSink } from './log-capture.ts';
import { ManagedSandbox } from './managed-sandbox.ts';
import type { Invocation, RuntimeInit, RuntimeSessionHandle, RuntimeSessionState, SessionFailure } from './runtime-api/index.ts';
import { RuntimeInitError, platformErrorPayload } from './runtime-api/index.ts';
import type { Sandbox, SandboxExit, SandboxLimits } from './sandbox/sandbox-driver.ts';

const log = pino({ level: 'silent' });
const LIMITS: SandboxLimits = { memoryMb: 128, cpuMillis: 72, pidsMax: 1024, tmpSizeMb: 512 };

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A sandbox whose runtime the test ends; restartable unless told otherwise. */
class FakeBox implements Sandbox {
  readonly id = 'box1';
  readonly pid = 1;
  readonly runtimeApiAddress = '127.0.0.1:9001';
  readonly taskRoot = '/var/task';
  readonly hostAddress = undefined;
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly restartRuntime: ((reset: () => void) => Promise<void>) | undefined;
  readonly limitsSet: SandboxLimits[] = [];
  restarts = 0;
  destroyed = false;
  #runtime = deferred<SandboxExit>();

  readonly #teardownFails: boolean;

  constructor({ restartable = true, teardownFails = false } = {}) {
    this.restartRuntime = restartable ? (reset) => this.#restart(reset) : undefined;
    this.#teardownFails = teardownFails;
  }

  get exited(): Promise<SandboxExit> {
    return this.#runtime.promise;
  }

  /** The runtime ends (on its own, or killed by the kernel). */
  exit(exit: Partial<SandboxExit> = {}): void {
    this.#runtime.resolve({ code: 1, signal: null, oomKilled: false, ...exit });
  }

  async #restart(reset: () => void): Promise<void> {
    this.exit({ code: null, signal: 'SIGKILL' });
    await this.exited;
    if (this.destroyed) throw new Error('sandbox is not running');
    reset();
    this.#runtime = deferred();
    this.restarts++;
  }

  async specialize(): Promise<void> {}
  setLimits(limits: SandboxLimits): void {
    this.limitsSet.push(limits);
  }
  memoryUsage() {
    return { peakBytes: 20 * 1048576, currentBytes: 10 * 1048576 };
  }
  async destroy(): Promise<void> {
    this.destroyed = true;
    this.exit({ code: null, signal: 'SIGKILL' });
    if (this.#teardownFails) throw new Error('cgroup stays busy');
  }
}

/** A Runtime API session whose runtime finishes its init at once and answers with `answer` (never, when undefined). */
class FakeSession implements RuntimeSessionHandle {
  readonly sandboxId = 'box1';
  state: RuntimeSessionState = 'Started';
  answer: ((inv: Invocation) => FunctionResult) | undefined = () => ({ payload: Buffer.from('"ok"') });
  initFails = false;
  #ready = Promise.resolve();
  #failure: SessionFailure | undefined;
  #pending: { inv: Invocation; settle: (r: FunctionResult) => void } | undefined;

  specialize(_init: RuntimeInit): void {
    this.#init();
  }
  ready(): Promise<void> {
    return this.#ready;
  }
  restart(): void {
    assert.equal(this.state, 'Failed', 'only a failed session restarts');
    this.#init();
  }
  #init(): void {
    if (this.initFails) {
      this.state = 'InitError';
      this.#ready = Promise.reject(new RuntimeInitError('Runtime.ImportModuleError', Buffer.from('{"errorType":"Runtime.ImportModuleError"}')));
      this.#ready.catch(() => undefined);
    } else {
      this.state = 'Ready';
      this.#ready = Promise.resolve();
    }
  }
  invoke(inv: Invocation): Promise<FunctionResult> {
    if (this.state === 'InitError') return Promise.resolve(functionError('Runtime.ImportModuleError', Buffer.from('{}')));
    if (this.state === 'Failed') return Promise.resolve(this.#failed(inv.requestId));
    const answer = this.answer;
    if (answer) return Promise.resolve(answer(inv));
    return new Promise((settle) => (this.#pending = { inv, settle }));
  }
  fail(reason: SessionFailure): void {
    if (this.state === 'Failed' || this.state === 'Closed' || this.state === 'InitError') return;
    this.state = 'Failed';
    this.#failure = reason;
    this.#pending?.settle(this.#failed(this.#pending.inv.requestId));
    this.#pending = undefined;
  }
  #failed(requestId: string): FunctionResult {
    return functionError(this.#failure!.errorType, platformErrorPayload(requestId, this.#failure!.errorType, this.#failure!.errorMessage));
  }
  close(): void {
    this.fail({ errorType: 'Runtime.ExitError', errorMessage: 'closed' });
    this.state = 'Closed';
  }
}

const store: LogSink = { append: async () => undefined };

/** The sandbox's state moves, as its state machine logs them. */
function movesLog(): { logger: typeof log; moves: string[] } {
  const moves: string[] = [];
  const logger = pino({ level: 'debug' }, {
    write: (line: string) => {
      const entry = JSON.parse(line) as { msg: string; from: string; to: string };
      if (entry.msg === 'sandbox state') moves.push(`${entry.from}->${entry.to}`);
    },
  });
  return { logger, moves };
}

function sandboxOf(box: FakeBox, session: FakeSession, timeoutSec = 10, logger = log): ManagedSandbox {
  const version = functionVersion('f', { timeoutSec });
  return new ManagedSandbox({
    hostId: 'h', box, session, logs: new LogCapture(store, [box.stdout, box.stderr], () => undefined), version,
    clock: { now: () => Date.now() }, logger, initType: 'on-demand', limits: LIMITS, initTimeoutMs: 1000, onDestroyed: () => undefined,
  });
}

let n = 0;
const request = (): InvocationRequest => ({ requestId: `r${++n}`, payload: Buffer.from('{}'), invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f', tailLog: false });

async function until(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !predicate(); i++) await new Promise((r) => setImmediate(r));
  assert.ok(predicate());
}

describe('ManagedSandbox, the owner of a sandbox\'s lifecycle', () => {
  it('starts Pooled, goes through Initializing to Idle, and reports the Init Duration on its first invocation only', async () => {
    const sandbox = sandboxOf(new FakeBox(), new FakeSession());
    assert.equal(sandbox.state, 'Pooled');
    await sandbox.initialize({ codeDir: '/code', env: {}, logStream: 's' });
    assert.equal(sandbox.state, 'Idle');
    const first = await sandbox.invoke(request());
    assert.equal(first.payload.toString(), '"ok"');
    assert.equal(typeof first.initDurationMs, 'number');
    assert.equal(sandbox.state, 'Idle');
    assert.equal((await sandbox.invoke(request())).initDurationMs, undefined);
  });

  it('restarts the runtime after a timeout (Busy -> Resetting -> Initializing -> Idle): same sandbox, a new Init Duration', async () => {
    const box = new FakeBox();
    const session = new FakeSession();
    const { logger, moves } = movesLog();
    const sandbox = sandboxOf(box, session, 0.05, logger);
    await sandbox.initialize({ codeDir: '/code', env: {}, logStream: 's' });
    session.answer = undefined; // the handler hangs
    const timedOut = await sandbox.invoke(request());
    assert.equal(timedOut.errorType, 'Sandbox.Timedout');
    assert.equal(sandbox.alive, true, 'the worker manager keeps it');
    session.answer = () => ({ payload: Buffer.from('"again"') });
    const next = await sandbox.invoke(request());
    assert.equal(next.payload.toString(), '"again"');
    assert.equal(typeof next.initDurationMs, 'number', 'a fresh init ran');
    assert.deepEqual([box.restarts, box.destroyed, sandbox.state], [1, false, 'Idle']);
    assert.deepEqual(moves, ['Pooled->Initializing', 'Initializing->Idle', 'Idle->Busy', 'Busy->Resetting', 'Resetting->Initializing', 'Initializing->Idle', 'Idle->Busy', 'Busy->Idle']);
    assert.equal(box.limitsSet.at(-1), LIMITS, 'the init phase\'s full CPU ends with it');
  });

  it('restarts a runtime that exits while idle', async () => {
    const box = new FakeBox();
    const { logger, moves } = movesLog();
    const sandbox = sandboxOf(box, new FakeSession(), 10, logger);
    await sandbox.initialize({ codeDir: '/code', env: {}, logStream: 's' });
    box.exit({ code: 1 });
    await until(() => box.restarts === 1 && sandbox.state === 'Idle');
    assert.deepEqual(moves, ['Pooled->Initializing', 'Initializing->Idle', 'Idle->Resetting', 'Resetting->Initializing', 'Initializing->Idle']);
    assert.equal(box.destroyed, false);
    assert.equal((await sandbox.invoke(request())).payload.toString(), '"ok"');
  });

  it('destroys the sandbox after an OOM kill (Busy -> Dead)', async () => {
    const box = new FakeBox();
    const session = new FakeSession();
    const sandbox = sandboxOf(box, session);
    await sandbox.initialize({ codeDir: '/code', env: {}, logStream: 's' });
    session.answer = undefined;
    const invoked = sandbox.invoke(request());
    box.exit({ code: null, signal: 'SIGKILL', oomKilled: true });
    assert.equal((await invoked).errorType, 'Runtime.OutOfMemory');
    assert.deepEqual([sandbox.state, sandbox.alive, box.destroyed, box.restarts], ['Dead', false, true, 0]);
  });

  it('destroys the sandbox when its driver cannot restart a runtime', async () => {
    const box = new FakeBox({ restartable: false });
    const session = new FakeSession();
    const sandbox = sandboxOf(box, session);
    await sandbox.initialize({ codeDir: '/code', env: {}, logStream: 's' });
    session.answer = undefined;
    const invoked = sandbox.invoke(request());
    box.exit({ code: 3 });
    assert.equal((await invoked).errorType, 'Runtime.ExitError');
    assert.deepEqual([sandbox.state, box.destroyed], ['Dead', true]);
  });

  it('logs a teardown that fails instead of rejecting (destroy is not always awaited: a rejection would end Flint)', async () => {
    const errors: string[] = [];
    const logger = pino({ level: 'error' }, {
      write: (line: string) => {
        const entry = JSON.parse(line) as { msg: string; err: { message: string } };
        errors.push(`${entry.msg}: ${entry.err.message}`);
      },
    });
    const box = new FakeBox({ restartable: false, teardownFails: true });
    const session = new FakeSession();
    const sandbox = sandboxOf(box, session, 10, logger);
    await sandbox.initialize({ codeDir: '/code', env: {}, logStream: 's' });
    session.answer = undefined;
    const invoked = sandbox.invoke(request());
    box.exit({ code: 3 }); // the runtime dies: the sandbox destroys itself, unawaited
    assert.equal((await invoked).errorType, 'Runtime.ExitError');
    await sandbox.destroy('again');
    assert.deepEqual([sandbox.state, box.destroyed, errors], ['Dead', true, ['sandbox teardown failed: cgroup stays busy']]);
  });

  it('serves a failed init once, then is Dead without a restart', async () => {
    const box = new FakeBox();
    const session = new FakeSession();
    session.initFails = true;
    const sandbox = sandboxOf(box, session);
    await sandbox.initialize({ codeDir: '/code', env: {}, logStream: 's' });
    assert.deepEqual([sandbox.state, sandbox.initError], ['Idle', 'Runtime.ImportModuleError']);
    assert.equal((await sandbox.invoke(request())).errorType, 'Runtime.ImportModuleError');
    assert.deepEqual([sandbox.state, box.destroyed, box.restarts], ['Dead', true, 0]);
  });
});
