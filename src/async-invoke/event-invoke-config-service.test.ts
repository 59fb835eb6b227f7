import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../db/index.ts';
import { FunctionNotFound, type FunctionVersionConfig } from '../model/index.ts';
import { EventInvokeConfigService } from './event-invoke-config-service.ts';
import { EventInvokeConfigStore } from './event-invoke-config-store.ts';

const account = { region: 'us-east-1', accountId: '000000000000' };
const arn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

/** A service over an in-memory database where functions `f` (versions $LATEST, 1, 2, 3) and `dest` exist. */
function service() {
  const db = openDatabase(':memory:');
  for (const name of ['f', 'dest']) db.prepare('INSERT INTO functions (name, created_ms) VALUES (?, 0)').run(name);
  const versions: Record<string, string[]> = { f: ['$LATEST', '1', '2', '3'], dest: ['$LATEST'] };
  let now = 1_000;
  const functions = {
    parse: (functionName: string | undefined, _op: 'write' | 'read', qualifier?: string) => ({ name: functionName!, qualifier }),
    resolve: (name: string, qualifier: string | undefined) => {
      if (!versions[name]?.includes(qualifier ?? '$LATEST')) throw new FunctionNotFound(arn(name));
      return { config: { functionName: name, version: qualifier ?? '$LATEST' } as FunctionVersionConfig, invokedFunctionArn: arn(name) };
    },
  };
  const svc = new EventInvokeConfigService({ store: new EventInvokeConfigStore(db), functions, account, clock: { now: () => (now += 1000) } });
  return { db, svc };
}

describe('EventInvokeConfigService', () => {
  it('keeps what Update does not mention and replaces what it does', () => {
    const { svc } = service();
    svc.put('f', undefined, { MaximumRetryAttempts: 1, DestinationConfig: { OnSuccess: { Destination: arn('dest') }, OnFailure: { Destination: arn('dest') } } });
    const updated = svc.update('f', undefined, { MaximumEventAgeInSeconds: 120, DestinationConfig: { OnFailure: { Destination: '' } } });
    assert.deepEqual(updated.settings, { maximumRetryAttempts: 1, maximumEventAgeInSeconds: 120, onSuccess: arn('dest'), onFailure: undefined });
  });

  it('stamps LastModified on every write', () => {
    const { svc } = service();
    const a = svc.put('f', undefined, { MaximumRetryAttempts: 1 });
    const b = svc.update('f', undefined, { MaximumRetryAttempts: 2 });
    assert.ok(b.lastModifiedMs > a.lastModifiedMs);
  });

  it('keeps one configuration per qualifier and lists them in pages', () => {
    const { svc } = service();
    for (const q of [undefined, '1', '2', '3']) svc.put('f', q, { MaximumRetryAttempts: 0 });
    const first = svc.list('f', undefined, 3);
    assert.deepEqual(first.configs.map((c) => c.qualifier), ['$LATEST', '1', '2']);
    const second = svc.list('f', first.nextMarker, 3);
    assert.deepEqual([second.configs.map((c) => c.qualifier), second.nextMarker], [['3'], undefined]);
    assert.equal(svc.arnOf(second.configs[0]!), `${arn('f')}:3`);
  });

  it('refuses a configuration for a version that does not exist', () => {
    const { svc } = service();
    assert.throws(() => svc.put('f', '9', { MaximumRetryAttempts: 0 }), { message: "The function doesn't exist." });
  });

  it('loses its configurations with the function', () => {
    const { db, svc } = service();
    svc.put('f', undefined, { MaximumRetryAttempts: 0 });
    db.prepare("DELETE FROM functions WHERE name = 'f'").run();
    assert.equal((db.prepare('SELECT COUNT(*) AS n FROM event_invoke_configs').get() as { n: number }).n, 0);
  });
});
