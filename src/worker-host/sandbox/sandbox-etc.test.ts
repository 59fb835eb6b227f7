import assert from 'node:assert/strict';
import { test } from 'node:test';
import { etcFiles, hostNameservers } from './sandbox-etc.ts';

test('sandboxes resolve host.flint.internal to the host address and know only root and the function user', () => {
  const files = etcFiles({ hostAddress: '169.254.8.1', nameservers: ['10.0.0.2'] });
  assert.match(files.hosts!, /^169\.254\.8\.1\thost\.flint\.internal$/m);
  assert.equal(files.passwd!.trim().split('\n').length, 2);
  assert.match(files.passwd!, /^sbx_user1051:x:65534:65534:/m);
  assert.match(files['resolv.conf']!, /^nameserver 10\.0\.0\.2$/m);
  assert.doesNotMatch(etcFiles({ hostAddress: undefined, nameservers: [] }).hosts!, /flint/);
});

test('loopback and IPv6 resolvers of the host are not offered to sandboxes', () => {
  assert.deepEqual(hostNameservers('nameserver 127.0.0.53\nnameserver 10.1.2.3\n# nameserver 9.9.9.9\nnameserver ::1\nnameserver fd00::1\n'), ['10.1.2.3']);
});
