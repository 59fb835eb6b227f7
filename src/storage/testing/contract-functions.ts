/** Contract: functions, versions, tags, usage, aliases, provisioned and event-invoke configs, resource-based policies. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NO_EVENT_INVOKE_SETTINGS, type PolicyStatement, type StoredEventInvokeConfig } from '../../model/index.ts';
import { alias, createFunction, fnRecord, using, version, type StorageContractTarget } from './contract-support.ts';

const IN_PROGRESS = { status: 'IN_PROGRESS', statusReason: undefined, available: 0 } as const;
const READY_3 = { status: 'READY', statusReason: undefined, available: 3 } as const;

export function functionContract(target: StorageContractTarget): void {
  describe('functions and versions', () => {
    it('inserts a function with its $LATEST, and refuses a taken name without writing anything', () =>
      using(target, async (s) => {
        assert.equal(await s.functions.insertFunction(fnRecord('f', { tags: { a: '1' }, reservedConcurrency: 5 }), version('f', '$LATEST', { description: 'one' })), true);
        assert.equal(await s.functions.insertFunction(fnRecord('f'), version('f', '$LATEST', { description: 'two' })), false);
        assert.deepEqual(await s.functions.getFunction('f'), { name: 'f', createdMs: 1_000, tags: { a: '1' }, reservedConcurrency: 5 });
        assert.equal((await s.functions.getVersion('f', '$LATEST'))?.description, 'one');
        assert.equal(await s.functions.getFunction('g'), undefined);
        assert.equal(await s.functions.getVersion('f', '1'), undefined);
      }));

    it('keeps a version config exactly as written', () =>
      using(target, async (s) => {
        const latest = version('f', '$LATEST', { environment: { K: 'v', 'ü': 'ö' }, layers: [{ arn: 'arn:1', codeSize: 3, sha256Hex: 'cd'.repeat(32), unzippedBytes: 9 }], runtime: undefined });
        await s.functions.insertFunction(fnRecord('f'), latest);
        assert.deepEqual(await s.functions.getVersion('f', '$LATEST'), JSON.parse(JSON.stringify(latest)));
      }));

    it('rejects a version that exists', () =>
      using(target, async (s) => {
        await createFunction(s, 'f');
        await s.functions.insertVersion(version('f', '1'), 'digest-1');
        await assert.rejects(s.functions.insertVersion(version('f', '1')));
        await assert.rejects(s.functions.insertVersion(version('f', '$LATEST')));
      }));

    it('hands out version numbers that are never reused, even after deletions', () =>
      using(target, async (s) => {
        await createFunction(s, 'f');
        assert.equal(await s.functions.takeVersionNumber('f'), 1);
        assert.equal(await s.functions.takeVersionNumber('f'), 2);
        await s.functions.insertVersion(version('f', '2'));
        assert.equal(await s.functions.deleteVersion('f', '2'), 'ab'.repeat(32));
        assert.equal(await s.functions.takeVersionNumber('f'), 3);
        assert.equal(await s.functions.takeVersionNumber('nope'), undefined);
      }));

    it('lists versions $LATEST first, then published versions in numeric order, and finds the newest published', () =>
      using(target, async (s) => {
        await createFunction(s, 'f');
        assert.equal(await s.functions.lastPublished('f'), undefined);
        for (const v of ['2', '10', '9']) await s.functions.insertVersion(version('f', v), `digest-${v}`);
        assert.deepEqual((await s.functions.listVersions('f')).map((c) => c.version), ['$LATEST', '2', '9', '10']);
        assert.deepEqual(await s.functions.lastPublished('f'), { version: '10', sourceDigest: 'digest-10' });
        await s.functions.insertVersion(version('f', '11'));
        assert.deepEqual(await s.functions.lastPublished('f'), { version: '11', sourceDigest: null });
        assert.deepEqual(await s.functions.listVersions('nope'), []);
      }));

    it('deletes one version and tells its code key; undefined when it did not exist', () =>
      using(target, async (s) => {
        await createFunction(s, 'f');
        await s.functions.insertVersion(version('f', '1', { codeSha256Hex: 'cd'.repeat(32) }));
        assert.equal(await s.functions.deleteVersion('f', '1'), 'cd'.repeat(32));
        assert.equal(await s.functions.deleteVersion('f', '1'), undefined);
        assert.equal(await s.functions.getVersion('f', '1'), undefined);
      }));

    it('updateVersion writes what the change returns, and nothing when it throws or returns its argument', () =>
      using(target, async (s) => {
        await createFunction(s, 'f');
        const updated = await s.functions.updateVersion('f', '$LATEST', (c) => ({ ...c, description: 'new' }));
        assert.equal(updated?.description, 'new');
        assert.equal((await s.functions.getVersion('f', '$LATEST'))?.description, 'new');
        const boom = new Error('refused');
        await assert.rejects(s.functions.updateVersion('f', '$LATEST', () => { throw boom; }), (err) => err === boom);
        assert.equal((await s.functions.getVersion('f', '$LATEST'))?.description, 'new');
        let seen: unknown;
        const same = await s.functions.updateVersion('f', '$LATEST', (c) => (seen = c));
        assert.equal(same, seen);
        assert.equal(await s.functions.updateVersion('f', '7', (c) => c), undefined);
      }));

    it('updateVersion locks the row while the change runs: concurrent updates from two storages lose none', () =>
      using(target, async (s, another) => {
        await createFunction(s, 'f', { timeoutSec: 0 });
        const t = await another();
        const bump = (on: typeof s): Promise<unknown> => on.functions.updateVersion('f', '$LATEST', (c) => ({ ...c, timeoutSec: c.timeoutSec + 1 }));
        await Promise.all(Array.from({ length: 20 }, (_, i) => bump(i % 2 === 0 ? s : t)));
        assert.equal((await s.functions.getVersion('f', '$LATEST'))?.timeoutSec, 20);
      }));

    it('lists functions by name (byte order) then version, after a cursor, $LATEST only or every version', () =>
      using(target, async (s) => {
        for (const name of ['b', 'B', 'a']) await createFunction(s, name);
        await s.functions.insertVersion(version('a', '2'));
        await s.functions.insertVersion(version('a', '10'));
        const keys = (cs: Array<{ functionName: string; version: string }>): string[] => cs.map((c) => `${c.functionName}:${c.version}`);
        assert.deepEqual(keys(await s.functions.list({ limit: 10, allVersions: false })), ['B:$LATEST', 'a:$LATEST', 'b:$LATEST']);
        assert.deepEqual(keys(await s.functions.list({ limit: 10, allVersions: true })), ['B:$LATEST', 'a:$LATEST', 'a:2', 'a:10', 'b:$LATEST']);
        assert.deepEqual(keys(await s.functions.list({ limit: 2, allVersions: true, after: { name: 'a', version: '$LATEST' } })), ['a:2', 'a:10']);
        assert.deepEqual(keys(await s.functions.list({ limit: 2, allVersions: true, after: { name: 'a', version: '10' } })), ['b:$LATEST']);
        assert.deepEqual(keys(await s.functions.list({ limit: 5, allVersions: false, after: { name: 'B', version: '$LATEST' } })), ['a:$LATEST', 'b:$LATEST']);
      }));

    it('deletes a function with its versions, aliases, provisioned and event-invoke configs, telling its code keys once each', () =>
      using(target, async (s) => {
        await createFunction(s, 'f', { codeSha256Hex: 'aa'.repeat(32) });
        await s.functions.insertVersion(version('f', '1', { codeSha256Hex: 'aa'.repeat(32) }));
        await s.functions.insertVersion(version('f', '2', { codeSha256Hex: 'bb'.repeat(32) }));
        await s.aliases.insert(alias('f', 'live'));
        await s.provisioned.put({ functionName: 'f', qualifier: 'live', requested: 3, lastModifiedMs: 1 });
        await s.eventInvokeConfigs.put({ functionName: 'f', qualifier: '$LATEST', settings: NO_EVENT_INVOKE_SETTINGS, lastModifiedMs: 1 });
        assert.deepEqual((await s.functions.deleteFunction('f'))?.sort(), ['aa'.repeat(32), 'bb'.repeat(32)]);
        assert.equal(await s.functions.getFunction('f'), undefined);
        assert.deepEqual(await s.functions.listVersions('f'), []);
        assert.deepEqual(await s.aliases.list('f'), []);
        assert.deepEqual(await s.provisioned.list(), []);
        assert.equal(await s.eventInvokeConfigs.get('f', '$LATEST'), undefined);
        assert.equal(await s.functions.deleteFunction('f'), undefined);
        await createFunction(s, 'f');
        assert.equal(await s.functions.takeVersionNumber('f'), 1, 'a function created again starts its versions afresh');
      }));

    it('replaces tags and sets or clears reserved concurrency; false for an absent function', () =>
      using(target, async (s) => {
        await createFunction(s, 'f');
        await createFunction(s, 'g');
        assert.equal(await s.functions.setTags('f', { team: 'x', env: 'prod' }), true);
        assert.equal(await s.functions.setTags('f', { team: 'y' }), true);
        assert.deepEqual((await s.functions.getFunction('f'))?.tags, { team: 'y' });
        assert.equal(await s.functions.setTags('nope', {}), false);
        assert.equal(await s.functions.setReservedConcurrency('f', 7), true);
        assert.equal(await s.functions.setReservedConcurrency('g', 0), true);
        assert.deepEqual(await s.functions.reservations(), [{ name: 'f', reserved: 7 }, { name: 'g', reserved: 0 }]);
        assert.equal(await s.functions.setReservedConcurrency('g', undefined), true);
        assert.equal((await s.functions.getFunction('g'))?.reservedConcurrency, undefined);
        assert.deepEqual(await s.functions.reservations(), [{ name: 'f', reserved: 7 }]);
        assert.equal(await s.functions.setReservedConcurrency('nope', 1), false);
      }));

    it('knows which code packages are referenced and which versions are unsettled', () =>
      using(target, async (s) => {
        await createFunction(s, 'f', { codeSha256Hex: 'aa'.repeat(32), state: 'Pending', lastModifiedMs: 1_700_000_000_123 });
        await s.functions.insertVersion(version('f', '1', { codeSha256Hex: 'bb'.repeat(32), lastUpdateStatus: 'InProgress', lastModifiedMs: 5 }));
        await s.functions.insertVersion(version('f', '2', { codeSha256Hex: 'bb'.repeat(32) }));
        assert.equal(await s.functions.isCodeReferenced('aa'.repeat(32)), true);
        assert.equal(await s.functions.isCodeReferenced('cc'.repeat(32)), false);
        const unsettled = await s.functions.unsettledVersions();
        assert.deepEqual([...unsettled].sort((a, b) => (a.version < b.version ? -1 : 1)), [
          { name: 'f', version: '$LATEST', lastModifiedMs: 1_700_000_000_123 },
          { name: 'f', version: '1', lastModifiedMs: 5 },
        ]);
      }));

    it('sums the account usage over functions and every version', () =>
      using(target, async (s) => {
        assert.deepEqual(await s.functions.usage(), { functionCount: 0, totalCodeSize: 0, reservedConcurrency: 0 });
        await createFunction(s, 'f', { codeSize: 100 });
        await s.functions.insertVersion(version('f', '1', { codeSize: 100 }));
        await createFunction(s, 'g', { codeSize: 5 });
        await s.functions.setReservedConcurrency('f', 3);
        await s.functions.setReservedConcurrency('g', 4);
        assert.deepEqual(await s.functions.usage(), { functionCount: 2, totalCodeSize: 205, reservedConcurrency: 7 });
      }));
  });

  describe('aliases', () => {
    it('inserts, reads, lists by name, updates and deletes aliases; refuses taken names and absent ones', () =>
      using(target, async (s) => {
        await createFunction(s, 'f');
        assert.equal(await s.aliases.insert(alias('f', 'prod', { description: 'd', additional: { version: '2', weight: 0.25 } })), true);
        assert.equal(await s.aliases.insert(alias('f', 'beta')), true);
        assert.equal(await s.aliases.insert(alias('f', 'prod')), false);
        assert.deepEqual(await s.aliases.get('f', 'prod'), alias('f', 'prod', { description: 'd', additional: { version: '2', weight: 0.25 } }));
        assert.deepEqual((await s.aliases.list('f')).map((a) => a.name), ['beta', 'prod']);
        assert.equal(await s.aliases.update(alias('f', 'prod', { functionVersion: '3', revisionId: 'r2' })), true);
        assert.deepEqual(await s.aliases.get('f', 'prod'), alias('f', 'prod', { functionVersion: '3', revisionId: 'r2' }));
        assert.equal(await s.aliases.update(alias('f', 'nope')), false);
        assert.equal(await s.aliases.delete('f', 'beta'), true);
        assert.equal(await s.aliases.delete('f', 'beta'), false);
        assert.equal(await s.aliases.get('f', 'beta'), undefined);
      }));

    it('deletes an alias with its provisioned concurrency config', () =>
      using(target, async (s) => {
        await createFunction(s, 'f');
        await s.aliases.insert(alias('f', 'live'));
        await s.provisioned.put({ functionName: 'f', qualifier: 'live', requested: 2, lastModifiedMs: 1 });
        await s.provisioned.put({ functionName: 'f', qualifier: '1', requested: 1, lastModifiedMs: 1 });
        assert.equal(await s.aliases.delete('f', 'live'), true);
        assert.deepEqual((await s.provisioned.list('f')).map((p) => p.qualifier), ['1']);
      }));
  });

  describe('provisioned concurrency configs', () => {
    it('puts (replacing), reads, lists, totals and deletes configs', () =>
      using(target, async (s) => {
        await createFunction(s, 'f');
        await createFunction(s, 'e');
        await s.provisioned.put({ functionName: 'f', qualifier: 'live', requested: 2, lastModifiedMs: 1 });
        await s.provisioned.put({ functionName: 'f', qualifier: '1', requested: 5, lastModifiedMs: 2 });
        await s.provisioned.put({ functionName: 'f', qualifier: 'live', requested: 4, lastModifiedMs: 3 });
        await s.provisioned.put({ functionName: 'e', qualifier: '1', requested: 1, lastModifiedMs: 4 });
        assert.deepEqual(await s.provisioned.get('f', 'live'), { functionName: 'f', qualifier: 'live', requested: 4, lastModifiedMs: 3, state: IN_PROGRESS });
        assert.deepEqual((await s.provisioned.list('f')).map((p) => p.qualifier), ['1', 'live']);
        assert.deepEqual((await s.provisioned.list()).map((p) => `${p.functionName}:${p.qualifier}`), ['e:1', 'f:1', 'f:live']);
        assert.equal(await s.provisioned.total('f'), 9);
        assert.equal(await s.provisioned.total('nope'), 0);
        assert.equal(await s.provisioned.delete('f', '1'), true);
        assert.equal(await s.provisioned.delete('f', '1'), false);
        assert.equal(await s.provisioned.get('f', '1'), undefined);
      }));

    it('keeps the allocation state a reconciler set, for every storage on the database, until the config is put again', () =>
      using(target, async (s, another) => {
        await createFunction(s, 'f');
        await s.provisioned.put({ functionName: 'f', qualifier: 'live', requested: 3, lastModifiedMs: 10 });
        assert.equal(await s.provisioned.setState('f', 'live', 10, READY_3), true);
        const other = await another();
        assert.deepEqual((await other.provisioned.get('f', 'live'))?.state, READY_3);
        assert.deepEqual((await other.provisioned.list()).map((c) => c.state), [READY_3]);
        await s.provisioned.put({ functionName: 'f', qualifier: 'live', requested: 4, lastModifiedMs: 11 });
        assert.deepEqual((await other.provisioned.get('f', 'live'))?.state, IN_PROGRESS, 'a put starts the allocation over');
        const failed = { status: 'FAILED', statusReason: 'FUNCTION_ERROR_INIT_FAILURE', available: 0 } as const;
        assert.equal(await other.provisioned.setState('f', 'live', 11, failed), true);
        assert.deepEqual((await s.provisioned.get('f', 'live'))?.state, failed);
      }));

    it('sets no state on a config put again since the reconciler saw it, nor on a deleted one', () =>
      using(target, async (s) => {
        await createFunction(s, 'f');
        await s.provisioned.put({ functionName: 'f', qualifier: 'live', requested: 3, lastModifiedMs: 10 });
        await s.provisioned.put({ functionName: 'f', qualifier: 'live', requested: 5, lastModifiedMs: 12 });
        assert.equal(await s.provisioned.setState('f', 'live', 10, READY_3), false, 'a stale pass');
        assert.deepEqual((await s.provisioned.get('f', 'live'))?.state, IN_PROGRESS);
        assert.equal(await s.provisioned.setState('f', 'gone', 10, READY_3), false);
        assert.equal(await s.provisioned.get('f', 'gone'), undefined, 'setting a state creates no config');
        await s.provisioned.delete('f', 'live');
        assert.equal(await s.provisioned.setState('f', 'live', 12, READY_3), false);
        assert.deepEqual(await s.provisioned.list(), []);
      }));
  });

  describe('event-invoke configs', () => {
    const config = (qualifier: string, over: Partial<StoredEventInvokeConfig['settings']> = {}): StoredEventInvokeConfig => ({
      functionName: 'f',
      qualifier,
      settings: { ...NO_EVENT_INVOKE_SETTINGS, ...over },
      lastModifiedMs: 10,
    });

    it('puts (replacing), reads, lists qualifiers in order after a cursor, and deletes', () =>
      using(target, async (s) => {
        await createFunction(s, 'f');
        await s.eventInvokeConfigs.put(config('live', { maximumRetryAttempts: 0, onFailure: 'arn:q' }));
        await s.eventInvokeConfigs.put(config('$LATEST'));
        await s.eventInvokeConfigs.put(config('1', { maximumEventAgeInSeconds: 60, onSuccess: 'arn:s' }));
        await s.eventInvokeConfigs.put(config('live', { maximumRetryAttempts: 1 }));
        assert.deepEqual(await s.eventInvokeConfigs.get('f', 'live'), config('live', { maximumRetryAttempts: 1 }));
        assert.deepEqual(await s.eventInvokeConfigs.get('f', '1'), config('1', { maximumEventAgeInSeconds: 60, onSuccess: 'arn:s' }));
        assert.deepEqual((await s.eventInvokeConfigs.list('f', undefined, 10)).map((c) => c.qualifier), ['$LATEST', '1', 'live']);
        assert.deepEqual((await s.eventInvokeConfigs.list('f', '$LATEST', 1)).map((c) => c.qualifier), ['1']);
        assert.equal(await s.eventInvokeConfigs.delete('f', '1'), true);
        assert.equal(await s.eventInvokeConfigs.delete('f', '1'), false);
        assert.equal(await s.eventInvokeConfigs.get('f', '1'), undefined);
      }));
  });
  describe('resource-based policies', () => {
    const statement = (sid: string, over: Partial<PolicyStatement> = {}): PolicyStatement => ({
      Sid: sid,
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f',
      Condition: { StringEquals: { 'AWS:SourceAccount': '123456789012' }, ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::b' } },
      ...over,
    });

    it('puts (replacing), reads statements exactly as written and in order, and deletes; no statements deletes the policy', () =>
      using(target, async (s) => {
        await createFunction(s, 'f');
        assert.equal(await s.policies.get('f', '$LATEST'), undefined);
        await s.policies.put('f', '$LATEST', [statement('a')]);
        const two = [statement('a'), statement('b', { Principal: '*', Action: 'lambda:*', Condition: undefined })];
        await s.policies.put('f', '$LATEST', two);
        const read = await s.policies.get('f', '$LATEST');
        assert.deepEqual(read, { functionName: 'f', qualifier: '$LATEST', statements: JSON.parse(JSON.stringify(two)) });
        assert.deepEqual(Object.keys(read!.statements[0]!), ['Sid', 'Effect', 'Principal', 'Action', 'Resource', 'Condition'], 'member order kept');
        assert.deepEqual(Object.keys(read!.statements[0]!.Condition!), ['StringEquals', 'ArnLike']);
        await s.policies.put('f', 'live', [statement('x')]);
        assert.deepEqual((await s.policies.get('f', 'live'))?.statements.map((t) => t.Sid), ['x']);
        await s.policies.put('f', 'live', []);
        assert.equal(await s.policies.get('f', 'live'), undefined);
        assert.equal(await s.policies.delete('f', '$LATEST'), true);
        assert.equal(await s.policies.delete('f', '$LATEST'), false);
        assert.equal(await s.policies.get('f', '$LATEST'), undefined);
      }));

    it('a version or alias deleted takes its policy along, the others stay; a deleted function takes all of them', () =>
      using(target, async (s) => {
        await createFunction(s, 'f');
        await createFunction(s, 'g');
        await s.functions.insertVersion(version('f', '1'));
        await s.functions.insertVersion(version('f', '2'));
        await s.aliases.insert(alias('f', 'live'));
        for (const q of ['$LATEST', '1', '2', 'live']) await s.policies.put('f', q, [statement(`s${q}`)]);
        await s.policies.put('g', '$LATEST', [statement('g')]);
        await s.functions.deleteVersion('f', '1');
        assert.equal(await s.policies.get('f', '1'), undefined);
        assert.equal(await s.aliases.delete('f', 'live'), true);
        assert.equal(await s.policies.get('f', 'live'), undefined);
        assert.deepEqual((await s.policies.get('f', '2'))?.statements.map((t) => t.Sid), ['s2']);
        assert.deepEqual((await s.policies.get('f', '$LATEST'))?.statements.map((t) => t.Sid), ['s$LATEST']);
        await s.functions.deleteFunction('f');
        assert.equal(await s.policies.get('f', '$LATEST'), undefined);
        assert.equal(await s.policies.get('f', '2'), undefined);
        await createFunction(s, 'f');
        assert.equal(await s.policies.get('f', '$LATEST'), undefined, 'a function created again starts without a policy');
        assert.deepEqual((await s.policies.get('g', '$LATEST'))?.statements.map((t) => t.Sid), ['g']);
      }));

    it('a policy written in a transaction that fails is not kept', () =>
      using(target, async (s) => {
        await createFunction(s, 'f');
        await assert.rejects(s.transaction(async (tx) => {
          await tx.policies.put('f', '$LATEST', [statement('a')]);
          throw new Error('abandoned');
        }), /abandoned/);
        assert.equal(await s.policies.get('f', '$LATEST'), undefined);
      }));
  });
}
