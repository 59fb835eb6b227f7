import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostSandbox } from '../model/index.ts';
import { revokingOnDestroy } from './sandbox-credentials.ts';

describe('revokingOnDestroy', () => {
  it('ends the credentials as soon as the destroy starts, before the sandbox is gone, and even when the destroy fails', async () => {
    const events: string[] = [];
    let finish!: (ok: boolean) => void;
    const sandbox = {
      id: 's', hostId: 'h', alive: true, memoryMb: 128, initError: undefined,
      invoke: () => Promise.reject(new Error('not used')),
      destroy: () => new Promise<void>((resolve, reject) => {
        events.push('destroy started');
        finish = (ok) => (ok ? resolve() : reject(new Error('teardown failed')));
      }),
    } as unknown as HostSandbox;
    const wrapped = revokingOnDestroy(sandbox, { credentials: { accessKeyId: 'ASIA', secretAccessKey: 's', sessionToken: 't' }, revoke: () => {
      events.push('revoked');
      return Promise.resolve();
    } });
    const destroyed = wrapped.destroy('test');
    assert.deepEqual(events, ['revoked', 'destroy started'], 'revoked before the sandbox is torn down');
    finish(false);
    await assert.rejects(destroyed, /teardown failed/);
  });
});
