import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { etcFiles, hostNameservers, writeEtc } from './sandbox-etc.ts';

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

test('the sandbox /etc is one directory: the synthesized files, copies of the host files that exist, mount points for the host directories, and localtime; rewritten from scratch', (t) => {
  const state = mkdtempSync(join(tmpdir(), 'flint-etc-test-'));
  t.after(() => rmSync(state, { recursive: true, force: true }));
  const dir = join(state, 'etc');
  const entries = ['/etc/ld.so.cache', '/etc/ssl/certs', '/etc/no-such-file'];
  writeEtc(dir, { hostAddress: '169.254.8.1', nameservers: [] }, entries, '/usr/share/zoneinfo/Etc/UTC');
  writeFileSync(join(dir, 'left-over'), 'x');
  // Flint starts again: what the last start wrote goes, the host's own files come in as copies
  const previous = process.umask(0o077);
  let binds: string[];
  try {
    binds = writeEtc(dir, { hostAddress: '169.254.8.1', nameservers: [] }, entries, '/usr/share/zoneinfo/Etc/UTC');
  } finally {
    process.umask(previous);
  }
  assert.ok(!existsSync(join(dir, 'left-over')));
  assert.match(readFileSync(join(dir, 'passwd'), 'utf8'), /^sbx_user1051:/m);
  if (existsSync('/etc/ld.so.cache')) {
    assert.deepEqual(readFileSync(join(dir, 'ld.so.cache')), readFileSync('/etc/ld.so.cache'));
    assert.equal(statSync(join(dir, 'ld.so.cache')).mode & 0o777, 0o644);
  }
  assert.ok(!existsSync(join(dir, 'no-such-file')));
  for (const name of ['group', 'hosts', 'resolv.conf', 'nsswitch.conf']) assert.equal(statSync(join(dir, name)).mode & 0o777, 0o644, name);
  assert.equal(statSync(dir).mode & 0o777, 0o755);
  if (existsSync('/etc/ssl/certs')) {
    // a directory is bound, not copied: its mount point is empty, and traversable under any umask
    assert.deepEqual(binds, ['/etc/ssl/certs']);
    assert.deepEqual(readdirSync(join(dir, 'ssl/certs')), []);
    for (const d of ['ssl', 'ssl/certs']) assert.equal(statSync(join(dir, d)).mode & 0o777, 0o755, d);
  } else {
    assert.deepEqual(binds, []);
  }
  if (existsSync('/usr/share/zoneinfo/Etc/UTC')) assert.equal(readlinkSync(join(dir, 'localtime')), '/usr/share/zoneinfo/Etc/UTC');
});
