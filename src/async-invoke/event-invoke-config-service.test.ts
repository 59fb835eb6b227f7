import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FunctionNotFound, type FunctionVersionConfig } from '../model/index.ts';
import { functionVersion } from '../model/testing/function-version.ts';
import { EventInvokeConfigService } from './event-invoke-config-service.ts';
import { openSqliteStorage } from '../storage/index.ts';

const account = { region: 'us-east-1', accountId: '000000000000' };
const arn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

/** A service over an in-memory database where functions `f` (versions $LATEST, 1, 2, 3) and `dest` exist. */
async function service() {
  const storage = openSqliteStorage(':memory:');
  for (const name of ['f', 'dest']) {
    await storage.functions.insertFunction({ name, createdMs: 0, tags: {}, reservedConcurrency: undefined }, functionVersion(name, { version: '$LATEST' }));
  }
  const versions: Record<string, string[]> = { f: ['$LATEST', '1', '2', '3'], dest: ['$LATEST'] };
  let now = 1_000;
  const functions = {
    parse: (functionName: string | undefined, _op: 'write' | 'read', qualifier?: string) => ({ name: functionName!, qualifier }),
    resolve: async (name: string, qualifier: string | undefined) => {
      if (!versions[name]?.includes(qualifier ?? '$LATEST')) throw new FunctionNotFound(arn(name));
      return { config: { functionName: name, version: qualifier ?? '$LATEST' } as FunctionVersionConfig, invokedFunctionArn: arn(name) };
    },
  };
  const svc = new EventInvokeConfigService({ store: storage.eventInvokeConfigs, functions, account, clock: { now: () => (now += 1000) } });
  return { storage, svc };
}

describe('EventInvokeConfigService', async () => {
  it('keeps what Update does not mention and replaces what it does', async () => {
    const { svc } = await service();
    await svc.put('f', undefined, { MaximumRetryAttempts: 1, DestinationConfig: { OnSuccess: { Destination: arn('dest') }, OnFailure: { Destination: arn('dest') } } });
    const updated = await svc.update('f', undefined, { MaximumEventAgeInSeconds: 120, DestinationConfig: { OnFailure: { Destination: '' } } });
    assert.deepEqual(updated.settings, { maximumRetryAttempts: 1, maximumEventAgeInSeconds: 120, onSuccess: arn('dest'), onFailure: undefined });
  });

  it('stamps LastModified on every write', async () => {
    const { svc } = await service();
    const a = await svc.put('f', undefined, { MaximumRetryAttempts: 1 });
    const b = await svc.update('f', undefined, { MaximumRetryAttempts: 2 });
    assert.ok(b.lastModifiedMs > a.lastModifiedMs);
  });

  it('keeps one configuration per qualifier and lists them in pages', async () => {
    const { svc } = await service();
    for (const q of [undefined, '1', '2', '3']) await svc.put('f', q, { MaximumRetryAttempts: 0 });
    const first = await svc.list('f', undefined, 3);
    assert.deepEqual(first.configs.map((c) => c.qualifier), ['$LATEST', '1', '2']);
    const second = await svc.list('f', first.nextMarker, 3);
    assert.deepEqual([second.configs.map((c) => c.qualifier), second.nextMarker], [['3'], undefined]);
    assert.equal(svc.arnOf(second.configs[0]!), `${arn('f')}:3`);
  });

  it('refuses a configuration for a version that does not exist', async () => {
    const { svc } = await service();
    await assert.rejects(svc.put('f', '9', { MaximumRetryAttempts: 0 }), { message: "The function doesn't exist." });
  });

  it('loses its configurations with the function', async () => {
    const { storage, svc } = await service();
    await svc.put('f', undefined, { MaximumRetryAttempts: 0 });
    await storage.functions.deleteFunction('f');
    assert.equal(await storage.eventInvokeConfigs.get('f', '$LATEST'), undefined);
    await storage.functions.insertFunction({ name: 'f', createdMs: 1, tags: {}, reservedConcurrency: undefined }, functionVersion('f', { version: '$LATEST' }));
    assert.deepEqual(await storage.eventInvokeConfigs.list('f', undefined, 10), [], 'a function created again starts without one');
  });
});
