import { after, before, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createApiServer, type FastifyInstance } from '../api/index.ts';
import { PlatformFault, type FunctionVersionConfig, type HostSandbox, type InitializationType, type InvocationRequest, type WorkerHostPort } from '../model/index.ts';
import { functionVersion } from '../model/testing/function-version.ts';
import { createLogger } from '../shared/index.ts';
import { HostApi } from './host-api.ts';
import { RemoteWorkerHost } from './remote-worker-host.ts';
import { HOST_PATHS } from './wire.ts';

/** A host whose sandboxes echo the request back (with its headers in the payload's place when asked): what travels is the protocol. */
class EchoHost implements WorkerHostPort {
  readonly id = 'echo';
  readonly destroyed: string[] = [];
  readonly created: Array<{ version: FunctionVersionConfig; initType: InitializationType }> = [];
  /** Holds every invoke until released (a busy sandbox). */
  hold: Promise<void> = Promise.resolve();
  /** Called as an invoke reaches a sandbox. */
  arrived: () => void = () => undefined;

  async createSandbox(version: FunctionVersionConfig, initType: InitializationType): Promise<HostSandbox> {
    this.created.push({ version, initType });
    const hold = () => this.hold;
    const arrived = () => this.arrived();
    const destroyed = this.destroyed;
    let alive = true;
    return {
      id: `sb-${this.created.length}`,
      hostId: this.id,
      memoryMb: version.memorySizeMb,
      initError: version.handler === 'broken.handler' ? 'Runtime.ImportModuleError' : undefined,
      get alive() {
        return alive;
      },
      async invoke(request: InvocationRequest) {
        arrived();
        await hold();
        if (request.payload.toString('utf8') === '"crash"') alive = false;
        return {
          payload: request.payload,
          contentType: 'application/x-echo',
          functionError: request.tailLog ? 'Unhandled' : undefined,
          errorType: request.tailLog ? 'Echo.Error' : undefined,
          logResult: request.clientContext === undefined ? undefined : Buffer.from(`${request.requestId} ${request.invokedFunctionArn} ${request.clientContext}`).toString('base64'),
          durationMs: 12.5,
          initDurationMs: 99,
        };
      },
      async destroy(reason: string) {
        alive = false;
        destroyed.push(reason);
      },
    };
  }

  usage(): { memoryInUseMb: number } {
    return { memoryInUseMb: 0 };
  }
}

describe('RemoteWorkerHost over the host API', () => {
  const KEY = 'k'.repeat(43);
  let app: FastifyInstance;
  let endpoint: string;
  const echo = new EchoHost();
  const remote = (apiKey = KEY) =>
    new RemoteWorkerHost({ id: 'echo', endpoint, apiKey, codeFrom: () => 'http://front-end.invalid', createTimeoutMs: 5000, invokeMarginMs: 1000, now: Date.now });

  before(async () => {
    app = createApiServer({ logger: createLogger('silent') });
    new HostApi({ host: echo, key: () => KEY, joinToken: 'join', codeFrom: () => undefined, onDrainRequested: () => undefined, logger: createLogger('silent') }).register(app);
    await app.listen({ host: '127.0.0.1', port: 0 });
    endpoint = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  after(() => app.close());

  it('creates a sandbox with its version and init type, and reports its init error', async () => {
    const sandbox = await remote().createSandbox(functionVersion('f', { handler: 'broken.handler' }), 'provisioned-concurrency');
    assert.equal(sandbox.initError, 'Runtime.ImportModuleError');
    assert.equal(sandbox.alive, true);
    assert.equal(sandbox.hostId, 'echo');
    assert.equal(sandbox.memoryMb, 128);
    assert.deepEqual(echo.created.at(-1), { version: functionVersion('f', { handler: 'broken.handler' }), initType: 'provisioned-concurrency' });
  });

  it('carries every byte of a payload both ways, and every member of the outcome', async () => {
    const sandbox = await remote().createSandbox(functionVersion('f'), 'on-demand');
    const payload = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256));
    const outcome = await sandbox.invoke({ requestId: 'req-1', payload, invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f:7', clientContext: '{"é":1}', tailLog: true });
    assert.deepEqual(outcome.payload, payload);
    assert.equal(outcome.contentType, 'application/x-echo');
    assert.equal(outcome.functionError, 'Unhandled');
    assert.equal(outcome.errorType, 'Echo.Error');
    assert.equal(Buffer.from(outcome.logResult!, 'base64').toString(), 'req-1 arn:aws:lambda:us-east-1:000000000000:function:f:7 {"é":1}');
    assert.equal(outcome.durationMs, 12.5);
    assert.equal(outcome.initDurationMs, 99);
    const plain = await sandbox.invoke({ requestId: 'req-2', payload: Buffer.alloc(0), invokedFunctionArn: 'a', tailLog: false });
    assert.equal(plain.functionError, undefined);
    assert.equal(plain.logResult, undefined);
    assert.equal(plain.payload.length, 0);
  });

  it('reports a sandbox the host found dead after an invoke, and destroys sandboxes on the host', async () => {
    const sandbox = await remote().createSandbox(functionVersion('f'), 'on-demand');
    await sandbox.invoke({ requestId: 'r', payload: Buffer.from('"crash"'), invokedFunctionArn: 'a', tailLog: false });
    assert.equal(sandbox.alive, false);
    const other = await remote().createSandbox(functionVersion('f'), 'on-demand');
    await other.destroy('evicted to make room');
    assert.equal(other.alive, false);
    assert.equal(echo.destroyed.at(-1), 'evicted to make room');
  });

  it('answers 403 to a caller without the host key, and to one with another key', async () => {
    assert.equal((await fetch(`${endpoint}${HOST_PATHS.sandboxes}`, { method: 'POST', body: '{}' })).status, 403);
    await assert.rejects(remote('wrong').createSandbox(functionVersion('f'), 'on-demand'), (err: unknown) => err instanceof PlatformFault && /403/.test(err.message));
    // the join token opens only drain
    assert.equal((await fetch(`${endpoint}${HOST_PATHS.sandboxes}`, { method: 'POST', body: '{}', headers: { authorization: 'Bearer join' } })).status, 403);
    assert.equal((await fetch(`${endpoint}${HOST_PATHS.drain}`, { method: 'POST', headers: { authorization: 'Bearer join' } })).status, 202);
  });

  it('fails the invoke in flight with a PlatformFault when the host is lost, and its sandboxes are dead', async () => {
    const host = remote();
    const sandbox = await host.createSandbox(functionVersion('f'), 'on-demand');
    let release: () => void = () => undefined;
    echo.hold = new Promise((r) => (release = r));
    const inFlight = sandbox.invoke({ requestId: 'r', payload: Buffer.from('{}'), invokedFunctionArn: 'a', tailLog: false });
    host.lose('missed its heartbeats');
    await assert.rejects(inFlight, (err: unknown) => err instanceof PlatformFault && /missed its heartbeats/.test(err.message));
    assert.equal(sandbox.alive, false);
    assert.equal(host.reachable(Date.now() + 1000), false);
    release();
  });

  it('fails at once when the host refuses connections, and takes no placements until it heartbeats after that', async () => {
    const gone = new RemoteWorkerHost({ id: 'gone', endpoint: 'http://127.0.0.1:1', apiKey: KEY, codeFrom: () => '', createTimeoutMs: 5000, invokeMarginMs: 1000, now: () => 1000 });
    assert.equal(gone.reachable(500), true);
    await assert.rejects(gone.createSandbox(functionVersion('f'), 'on-demand'), (err: unknown) => err instanceof PlatformFault && /worker host gone: create a sandbox/.test(err.message));
    assert.equal(gone.reachable(1000), false);
    assert.equal(gone.reachable(1001), true);
  });

  it("waits for an invoke as long as the function may run (fetch gave up at 300 s): its timeout plus the margin ends the wait", async () => {
    // A fake clock: ten minutes pass while the sandbox holds the answer. The only timer on the way is the caller's deadline.
    const host = remote();
    const sandbox = await host.createSandbox(functionVersion('f', { timeoutSec: 900 }), 'on-demand');
    let release: () => void = () => undefined;
    echo.hold = new Promise((r) => (release = r));
    let took = new Promise<void>((r) => (echo.arrived = r));
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const fifteenMinutes = sandbox.invoke({ requestId: 'long', payload: Buffer.from('"late"'), invokedFunctionArn: 'a', tailLog: false });
      await took;
      mock.timers.tick(600_000);
      release();
      assert.equal((await fifteenMinutes).payload.toString(), '"late"');
      assert.equal(sandbox.alive, true);

      echo.hold = new Promise((r) => (release = r));
      took = new Promise<void>((r) => (echo.arrived = r));
      const overdue = sandbox.invoke({ requestId: 'overdue', payload: Buffer.from('{}'), invokedFunctionArn: 'a', tailLog: false });
      await took;
      mock.timers.tick(900_999);
      mock.timers.tick(1);
      await assert.rejects(overdue, (err: unknown) => err instanceof PlatformFault && /no answer within 901000 ms/.test(err.message));
      assert.equal(sandbox.alive, false);
    } finally {
      mock.timers.reset();
      echo.arrived = () => undefined;
      release();
      echo.hold = Promise.resolve();
    }
  });
});
