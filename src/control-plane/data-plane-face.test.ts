/**
 * The control plane's face toward the data plane, driven through its own routes
 * (Fastify inject): alias resolution with an injected random source, change
 * notifications, provisioned concurrency allocations and the counting ledger.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { createApiServer, type FastifyInstance } from '../api/index.ts';
import { InMemoryCodeStore } from '../code-store/testing/in-memory-code-store.ts';
import { CountingService } from '../counting/index.ts';
import { makeZip } from '../../test/helpers/zip.ts';
import { openSqliteStorage, type Storage } from '../storage/index.ts';
import { allowsInvoke, createControlPlane, type ControlPlane, type FunctionChange } from './index.ts';

const account = { region: 'us-east-1', accountId: '123456789012' };
const ROLE = 'arn:aws:iam::123456789012:role/r';

describe('control plane for the data plane', async () => {
  let storage: Storage;
  let cp: ControlPlane;
  let app: FastifyInstance;
  let counting: CountingService;
  let draw = 0;
  const changes: FunctionChange[] = [];

  /** A second control plane over the same storage, as another front end of a cluster runs one. */
  const anotherControlPlane = (ledger: CountingService, nowMs: number) =>
    createControlPlane({
      storage,
      codeStore: new InMemoryCodeStore(),
      account,
      quotas: { concurrentExecutions: 1000, totalCodeSizeBytes: 1e9 },
      ledger,
      clock: { now: () => nowMs },
      logger: pino({ level: 'silent' }),
      codeLocationKey: Buffer.alloc(32, 7),
      settleDelayMs: 60_000,
    });
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) => {
    const res = await app.inject({ method, url, payload: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    return { status: res.statusCode, body: res.body === '' ? {} : (JSON.parse(res.body) as Record<string, unknown>) };
  };
  const create = async (name: string, source = 'exports.handler = async () => 1;') => {
    const zip = await makeZip([{ name: 'index.js', content: source }]);
    const body = { FunctionName: name, Role: ROLE, Runtime: 'nodejs22.x', Handler: 'index.handler', Code: { ZipFile: zip.toString('base64') } };
    assert.equal((await call('POST', '/2015-03-31/functions', body)).status, 201);
    await cp.start(); // settled, as a caller's waiter sees it before the next write
  };
  const configure = async (name: string, variables: Record<string, string>) => {
    const res = await call('PUT', `/2015-03-31/functions/${name}/configuration`, { Environment: { Variables: variables } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    await cp.start();
  };
  const publish = async (name: string) => (await call('POST', `/2015-03-31/functions/${name}/versions`, {})).body['Version'];

  beforeEach(() => {
    storage = openSqliteStorage(':memory:');
    counting = new CountingService({ accountLimit: 1000, minUnreserved: 100 });
    cp = createControlPlane({
      storage,
      codeStore: new InMemoryCodeStore(),
      account,
      quotas: { concurrentExecutions: 1000, totalCodeSizeBytes: 1e9 },
      ledger: counting,
      clock: { now: () => Date.UTC(2024, 0, 1) },
      logger: pino({ level: 'silent' }),
      codeLocationKey: Buffer.alloc(32, 7),
      settleDelayMs: 60_000,
      random: () => draw,
    });
    app = createApiServer({ logger: pino({ level: 'silent' }) });
    cp.register(app);
    changes.length = 0;
    cp.onFunctionChanged((c) => changes.push(c));
  });
  afterEach(async () => {
    cp.stop();
    await app.close();
    await storage.close();
  });

  it('resolves an alias through its weights with the injected random source, and follows alias updates', async () => {
    await create('f');
    await configure('f', { VAL: 'one' });
    assert.equal(await publish('f'), '1');
    await configure('f', { VAL: 'two' });
    assert.equal(await publish('f'), '2');
    await call('POST', '/2015-03-31/functions/f/aliases', { Name: 'live', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { 2: 0.25 } } });
    draw = 0.2;
    const extra = await cp.resolver.resolve('f', 'live');
    assert.equal(extra.config.version, '2');
    assert.equal(extra.config.environment['VAL'], 'two');
    assert.equal(extra.invokedFunctionArn, 'arn:aws:lambda:us-east-1:123456789012:function:f:live');
    draw = 0.25;
    assert.equal((await cp.resolver.resolve('arn:aws:lambda:us-east-1:123456789012:function:f:live', undefined)).config.version, '1');
    await call('PUT', '/2015-03-31/functions/f/aliases/live', { FunctionVersion: '2', RoutingConfig: {} });
    draw = 0;
    assert.equal((await cp.resolver.resolve('f', 'live')).config.version, '2', 'an alias update reaches invokes at once');
    assert.equal((await cp.resolver.resolve('f', '1')).config.environment['VAL'], 'one');
  });

  it('tells listeners about $LATEST updates and deleted versions and functions, not about publishes', async () => {
    await create('g');
    await configure('g', { AA: '1' });
    await publish('g');
    await call('DELETE', '/2015-03-31/functions/g?Qualifier=1');
    await call('DELETE', '/2015-03-31/functions/g');
    assert.deepEqual(
      changes.map((c) => `${c.kind}:${c.version ?? '-'}`),
      ['latest-updated:$LATEST', 'version-deleted:1', 'function-deleted:-'],
    );
  });

  it('lists provisioned allocations per version, reports READY once marked, and counts them against the account', async () => {
    const seen: number[] = [];
    cp.provisioned.onChange(() => void cp.provisioned.allocations().then((a) => seen.push(a.length)));
    await create('p');
    await publish('p');
    await call('POST', '/2015-03-31/functions/p/aliases', { Name: 'live', FunctionVersion: '1' });
    const put = await call('PUT', '/2019-09-30/functions/p/provisioned-concurrency?Qualifier=live', { ProvisionedConcurrentExecutions: 3 });
    assert.equal(put.status, 202);
    assert.equal(put.body['Status'], 'IN_PROGRESS');
    const [allocation] = await cp.provisioned.allocations();
    assert.equal(allocation?.qualifier, 'live');
    assert.deepEqual(allocation?.versions.map((v) => [v.config.version, v.count]), [['1', 3]]);
    assert.equal(counting.unreservedLimit(), 997);
    await cp.provisioned.markReady('p', 'live', allocation!.lastModifiedMs);
    const got = await call('GET', '/2019-09-30/functions/p/provisioned-concurrency?Qualifier=live');
    assert.equal(got.body['Status'], 'READY');
    assert.equal(got.body['AvailableProvisionedConcurrentExecutions'], 3);
    await call('DELETE', '/2015-03-31/functions/p/aliases/live');
    assert.deepEqual(await cp.provisioned.allocations(), [], 'deleting the alias deletes its config');
    assert.equal(counting.unreservedLimit(), 1000);
    await new Promise((resolve) => setImmediate(resolve)); // the listener reads the allocations asynchronously
    assert.ok(seen.length >= 2 && seen.at(-1) === 0, `listener saw ${JSON.stringify(seen)}`);
  });

  it('shows every front end the status one reported, and starts it over on a put through any of them', async () => {
    await create('p');
    await publish('p');
    const other = anotherControlPlane(new CountingService({ accountLimit: 1000, minUnreserved: 100 }), Date.UTC(2024, 0, 1) + 1);
    const otherApp = createApiServer({ logger: pino({ level: 'silent' }) });
    other.register(otherApp);
    const getThroughOther = async () => {
      const res = await otherApp.inject({ method: 'GET', url: '/2019-09-30/functions/p/provisioned-concurrency?Qualifier=1' });
      return JSON.parse(res.body) as Record<string, unknown>;
    };
    try {
      await call('PUT', '/2019-09-30/functions/p/provisioned-concurrency?Qualifier=1', { ProvisionedConcurrentExecutions: 2 });
      const [seen] = await cp.provisioned.allocations();
      await cp.provisioned.markReady('p', '1', seen!.lastModifiedMs);
      assert.deepEqual([(await getThroughOther())['Status'], (await getThroughOther())['AvailableProvisionedConcurrentExecutions']], ['READY', 2]);
      const listed = await otherApp.inject({ method: 'GET', url: '/2019-09-30/functions/p/provisioned-concurrency?List=ALL' });
      assert.equal((JSON.parse(listed.body) as { ProvisionedConcurrencyConfigs: Array<Record<string, unknown>> }).ProvisionedConcurrencyConfigs[0]?.['Status'], 'READY');
      const put = await otherApp.inject({ method: 'PUT', url: '/2019-09-30/functions/p/provisioned-concurrency?Qualifier=1', payload: { ProvisionedConcurrentExecutions: 3 } });
      assert.equal((JSON.parse(put.body) as Record<string, unknown>)['Status'], 'IN_PROGRESS');
      assert.equal((await call('GET', '/2019-09-30/functions/p/provisioned-concurrency?Qualifier=1')).body['Status'], 'IN_PROGRESS');
      await cp.provisioned.markReady('p', '1', seen!.lastModifiedMs);
      assert.equal((await getThroughOther())['Status'], 'IN_PROGRESS', 'a report on the config as it was before the put changes nothing');
    } finally {
      other.stop();
      await otherApp.close();
    }
  });

  it('restores stored reservations and provisioned totals into a fresh counting service at start', async () => {
    await create('r');
    await publish('r');
    await call('PUT', '/2017-10-31/functions/r/concurrency', { ReservedConcurrentExecutions: 50 });
    await create('q');
    await publish('q');
    await call('PUT', '/2019-09-30/functions/q/provisioned-concurrency?Qualifier=1', { ProvisionedConcurrentExecutions: 5 });
    const fresh = new CountingService({ accountLimit: 1000, minUnreserved: 100 });
    const restarted = createControlPlane({
      storage,
      codeStore: new InMemoryCodeStore(),
      account,
      quotas: { concurrentExecutions: 1000, totalCodeSizeBytes: 1e9 },
      ledger: fresh,
      clock: { now: () => 0 },
      logger: pino({ level: 'silent' }),
      codeLocationKey: Buffer.alloc(32, 7),
    });
    await restarted.start();
    assert.equal(fresh.unreservedLimit(), 945);
    restarted.stop();
    await call('DELETE', '/2015-03-31/functions/r');
    assert.equal(counting.unreservedLimit(), 995, 'a deleted function gives its reservation back');
  });

  it("keeps another control plane's resolver cache over the same storage in step, through the change feed", async () => {
    await create('shared');
    const other = anotherControlPlane(new CountingService({ accountLimit: 1000, minUnreserved: 100 }), 0);
    const heard: string[] = [];
    other.onFunctionChanged((c) => heard.push(`${c.functionName} ${c.kind}`));
    assert.equal((await other.resolver.resolve('shared', undefined)).config.environment['VAL'], undefined); // cached now
    await configure('shared', { VAL: 'new' });
    assert.equal((await other.resolver.resolve('shared', undefined)).config.environment['VAL'], 'new');
    assert.deepEqual(heard, ['shared latest-updated']);
    other.stop();
    await configure('shared', { VAL: 'newer' });
    assert.deepEqual(heard, ['shared latest-updated'], 'a stopped control plane hears nothing more');
  });

  it("brings a reservation put or deleted through one control plane into another's counting service, through the change feed", async () => {
    await create('reserved-elsewhere');
    const otherLedger = new CountingService({ accountLimit: 1000, minUnreserved: 100 });
    const other = anotherControlPlane(otherLedger, 0);
    try {
      await call('PUT', '/2017-10-31/functions/reserved-elsewhere/concurrency', { ReservedConcurrentExecutions: 7 });
      assert.equal(otherLedger.unreservedLimit(), 993, "the other front end's pool gave the reservation up");
      otherLedger.acquire('reserved-elsewhere');
      assert.throws(() => Array.from({ length: 7 }, () => otherLedger.acquire('reserved-elsewhere')), /Rate Exceeded|Throttled/i, 'the other front end enforces the reservation');
      await call('DELETE', '/2017-10-31/functions/reserved-elsewhere/concurrency');
      assert.equal(otherLedger.unreservedLimit(), 1000);
    } finally {
      other.stop();
    }
  });
  it('gives the policies AddPermission and RemovePermission write to policyOf, here and in another control plane (cache dropped on the change feed)', async () => {
    await create('open');
    const other = anotherControlPlane(new CountingService({ accountLimit: 1000, minUnreserved: 100 }), 0);
    const url = { principal: '*', functionUrlAuthType: 'NONE', invokedViaFunctionUrl: true } as const;
    const publicUrl = async (c: ControlPlane, qualifier?: string) => {
      const policy = await c.policies.policyOf('open', qualifier);
      return allowsInvoke(policy, { ...url, action: 'lambda:InvokeFunctionUrl' }) && allowsInvoke(policy, { ...url, action: 'lambda:InvokeFunction' });
    };
    try {
      assert.equal(await cp.policies.policyOf('open'), undefined);
      assert.equal(await publicUrl(other), false); // cached as "no policy" now
      const grant = (StatementId: string, Action: string, extra: object = {}) =>
        call('POST', '/2015-03-31/functions/open/policy', { StatementId, Action, Principal: '*', ...extra });
      assert.equal((await grant('url', 'lambda:InvokeFunctionUrl', { FunctionUrlAuthType: 'NONE' })).status, 201);
      assert.equal(await publicUrl(other), false, 'InvokeFunctionUrl alone does not open a NONE URL');
      assert.equal((await grant('invoke', 'lambda:InvokeFunction', { InvokedViaFunctionUrl: true })).status, 201);
      assert.equal(await publicUrl(other), true);
      assert.equal(await publicUrl(cp), true);
      assert.equal(await publicUrl(cp, '$LATEST'), true, '$LATEST names the function\'s policy');
      assert.deepEqual((await cp.policies.policyOf('open'))?.Statement.map((s) => s.Sid), ['url', 'invoke']);
      assert.equal((await call('DELETE', '/2015-03-31/functions/open/policy/invoke')).status, 204);
      assert.equal(await publicUrl(other), false, 'a removed statement reaches the other control plane');
      const concurrent = await Promise.all(Array.from({ length: 12 }, (_, i) => grant(`c${i}`, 'lambda:GetFunction')));
      assert.deepEqual(concurrent.map((r) => r.status), Array.from({ length: 12 }, () => 201));
      assert.equal((await cp.policies.policyOf('open'))?.Statement.length, 13, 'grants made at once are all kept');
      await call('POST', '/2015-03-31/functions/open/aliases', { Name: 'live', FunctionVersion: '$LATEST' });
      assert.equal(await publicUrl(cp, 'live'), false, "an alias has a policy of its own");
    } finally {
      other.stop();
    }
  });
});
