/**
 * Resource-based policies written at once by two front ends sharing one PostgreSQL database (two
 * control planes, each through its own routes): every statement is kept, on the function and on an
 * alias. Without the lock AddPermission takes on the version or alias first, statements were lost.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, test } from 'node:test';
import { pino } from 'pino';
import { createApiServer, type FastifyInstance } from '../../src/api/index.ts';
import { InMemoryCodeStore } from '../../src/code-store/testing/in-memory-code-store.ts';
import { CountingService } from '../../src/counting/index.ts';
import { createControlPlane, type ControlPlane } from '../../src/control-plane/index.ts';
import { openPostgresStorage, type Storage } from '../../src/storage/index.ts';
import { requirePostgres, startPostgres, type PostgresCluster } from '../helpers/postgres.ts';
import { makeZip } from '../helpers/zip.ts';

const skip = requirePostgres();

if (skip !== false) {
  test('policies on PostgreSQL', { skip }, () => undefined);
} else {
  describe('policies written at once by two front ends over PostgreSQL', () => {
    let cluster: PostgresCluster;
    let fronts: Array<{ storage: Storage; cp: ControlPlane; app: FastifyInstance }>;

    before(async () => {
      cluster = await startPostgres();
      const url = await cluster.createDatabase();
      fronts = await Promise.all([0, 1].map(async () => {
        const storage = await openPostgresStorage(url);
        const cp = createControlPlane({
          storage,
          codeStore: new InMemoryCodeStore(),
          account: { region: 'us-east-1', accountId: '123456789012' },
          quotas: { concurrentExecutions: 1000, totalCodeSizeBytes: 1e9 },
          ledger: new CountingService({ accountLimit: 1000, minUnreserved: 100 }),
          clock: { now: () => Date.now() },
          logger: pino({ level: 'silent' }),
          codeLocationKey: Buffer.alloc(32, 7),
          settleDelayMs: 10,
        });
        const app = createApiServer({ logger: pino({ level: 'silent' }) });
        cp.register(app);
        return { storage, cp, app };
      }));
    });
    after(async () => {
      for (const f of fronts ?? []) {
        f.cp.stop();
        await f.app.close();
        await f.storage.close();
      }
      await cluster?.stop();
    });

    const call = (front: number, method: 'GET' | 'POST', url: string, body?: unknown) =>
      fronts[front]!.app.inject({ method, url, payload: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json' } });

    it('keeps every statement of concurrent AddPermission calls on the function and on an alias', { timeout: 60_000 }, async () => {
      const zip = await makeZip([{ name: 'index.js', content: 'exports.handler = async () => 1;' }]);
      const created = await call(0, 'POST', '/2015-03-31/functions', { FunctionName: 'f', Role: 'arn:aws:iam::123456789012:role/r', Runtime: 'nodejs22.x', Handler: 'index.handler', Code: { ZipFile: zip.toString('base64') } });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal((await call(1, 'POST', '/2015-03-31/functions/f/aliases', { Name: 'live', FunctionVersion: '$LATEST' })).statusCode, 201);
      for (const path of ['/2015-03-31/functions/f/policy', '/2015-03-31/functions/f/policy?Qualifier=live']) {
        const results = await Promise.all(Array.from({ length: 30 }, (_, i) => call(i % 2, 'POST', path, { StatementId: `s${i}`, Action: 'lambda:InvokeFunction', Principal: '*' })));
        assert.deepEqual(results.map((r) => r.statusCode), Array.from({ length: 30 }, () => 201), results.map((r) => r.body).join('\n'));
        const got = await call(1, 'GET', path);
        const sids = (JSON.parse((JSON.parse(got.body) as { Policy: string }).Policy) as { Statement: Array<{ Sid: string }> }).Statement.map((s) => s.Sid);
        assert.deepEqual(sids.sort(), Array.from({ length: 30 }, (_, i) => `s${i}`).sort(), path);
      }
    });
  });
}
