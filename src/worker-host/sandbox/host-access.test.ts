import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseHostAccess, describeHostAccess, isLoopbackHost, type HostAccess } from './host-access.ts';

test.describe('the default host access opens the host only while Flint listens on loopback only', () => {
  const table: [HostAccess | undefined, string, 'bridge' | 'isolated', HostAccess][] = [
    [undefined, '127.0.0.1', 'bridge', 'all'],
    [undefined, 'localhost', 'bridge', 'all'],
    [undefined, '::1', 'bridge', 'all'],
    [undefined, '127.0.0.53', 'bridge', 'all'],
    [undefined, '0.0.0.0', 'bridge', 'gateway'],
    [undefined, '::', 'bridge', 'gateway'],
    [undefined, '10.1.2.3', 'bridge', 'gateway'],
    [undefined, 'flint.example.com', 'bridge', 'gateway'],
    [undefined, '127.0.0.1', 'isolated', 'none'],
    [undefined, '0.0.0.0', 'isolated', 'none'],
    ['gateway', '127.0.0.1', 'bridge', 'gateway'],
    ['none', '127.0.0.1', 'bridge', 'none'],
    ['all', '0.0.0.0', 'bridge', 'all'],
    ['all', '127.0.0.1', 'isolated', 'all'],
  ];
  for (const [requested, host, network, expected] of table) {
    test(`${requested ?? 'no setting'}, --host ${host}, ${network} network: ${expected}`, () => {
      const choice = chooseHostAccess(requested, host, network);
      assert.equal(choice.access, expected);
      assert.match(describeHostAccess(choice), new RegExp(`--sandbox-host-access ${expected}, `));
    });
  }
});

test('only loopback names and addresses count as loopback', () => {
  for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST', 'a.localhost']) assert.ok(isLoopbackHost(h), h);
  for (const h of ['0.0.0.0', '::', '169.254.8.1', '192.168.1.2', '::ffff:10.0.0.1', 'localhost.example.com', 'myhost', '']) assert.ok(!isLoopbackHost(h), h);
});

test('the start line names the setting and why', () => {
  assert.equal(
    describeHostAccess(chooseHostAccess(undefined, '127.0.0.1', 'bridge')),
    'Functions reach every port the host listens on (except 127.0.0.1-only services) through host.flint.internal: --sandbox-host-access all, the default while Flint listens on loopback only (--host 127.0.0.1).',
  );
  assert.match(describeHostAccess(chooseHostAccess(undefined, '0.0.0.0', 'bridge')), /only services bound to host\.flint\.internal itself.*a shared host/);
  assert.match(describeHostAccess(chooseHostAccess('none', '0.0.0.0', 'bridge')), /nothing of the host.*set by --sandbox-host-access/);
});
