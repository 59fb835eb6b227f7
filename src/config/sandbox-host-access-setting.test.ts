import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, describeSettings, resolveConfig } from './resolve.ts';

test('--sandbox-host-access takes all, gateway or none from a flag or FLINT_SANDBOX_HOST_ACCESS, and is left to the start (by --host) when unset', () => {
  assert.equal(resolveConfig({}).sandboxHostAccess, undefined);
  assert.equal(resolveConfig({ flags: { sandboxHostAccess: 'none' }, env: { FLINT_SANDBOX_HOST_ACCESS: 'all' } }).sandboxHostAccess, 'none');
  assert.equal(resolveConfig({ env: { FLINT_SANDBOX_HOST_ACCESS: 'gateway' } }).sandboxHostAccess, 'gateway');
  assert.throws(() => resolveConfig({ flags: { sandboxHostAccess: 'everything' } }), (err: unknown) => err instanceof ConfigError && /setting sandboxHostAccess \(from flag --sandbox-host-access\): "everything"/.test(err.message));
});

test('--help documents --sandbox-host-access and how its default is chosen', () => {
  const help = describeSettings();
  assert.match(help, /--sandbox-host-access +host services functions reach at host\.flint\.internal: all .*gateway .*none/);
  assert.match(help, /env FLINT_SANDBOX_HOST_ACCESS, default all while --host is a loopback address, gateway otherwise/);
});
