import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bwrapArgs, encodeArgs, encodeCommand, runtimeMountsInOrder, supervisorCommand, type BwrapArgsInput } from './bwrap-args.ts';

const input: BwrapArgsInput = {
  root: [{ path: '/usr', bind: true }, { path: '/bin', symlink: 'usr/bin' }],
  etcDir: '/run/flint-sandbox/x/etc',
  etcBinds: ['/etc/ssl/certs', '/etc/alternatives'],
  hostname: '169.254.8.2',
  tmpSizeBytes: 512 * 1048576,
  runtimeMounts: { '/var/runtime': '/repo/src/sandbox-runtime/nodejs', '/var/lang/bin': '/repo/.build/runtimes/node24/bin' },
  seccompFd: 3,
  statusFd: 5,
  supervisor: '/repo/.build/flint-sandbox-helper',
};

/** The values following each occurrence of `flag`. */
function after(args: string[], flag: string, count = 1): string[][] {
  return args.flatMap((a, i) => (a === flag ? [args.slice(i + 1, i + 1 + count)] : []));
}

test('bubblewrap runs the sandbox as uid/gid 65534 in new user, pid, ipc, uts and cgroup namespaces with seccomp', () => {
  const args = bwrapArgs(input);
  for (const flag of ['--unshare-user', '--unshare-pid', '--as-pid-1', '--unshare-ipc', '--unshare-uts', '--disable-userns', '--die-with-parent', '--new-session']) assert.ok(args.includes(flag), flag);
  assert.ok(!args.includes('--unshare-net'), 'the network namespace is prepared by the driver and joined by the helper');
  assert.deepEqual(after(args, '--uid'), [['65534']]);
  assert.deepEqual(after(args, '--gid'), [['65534']]);
  assert.deepEqual(after(args, '--seccomp'), [['3']]);
  assert.deepEqual(after(args, '--json-status-fd'), [['5']]);
  assert.deepEqual(after(args, '--hostname'), [['169.254.8.2']]);
});

test('the root holds only system directories, the driver\'s /etc with the host directories bound over it, private /proc, /dev and /tmp, and empty /var/task and /opt', () => {
  const args = bwrapArgs(input);
  assert.deepEqual(after(args, '--ro-bind', 2), [
    ['/usr', '/usr'],
    ['/run/flint-sandbox/x/etc', '/etc'],
    ['/etc/ssl/certs', '/etc/ssl/certs'],
    ['/etc/alternatives', '/etc/alternatives'],
    ['/repo/.build/flint-sandbox-helper', '/var/rapid/init'],
    ['/repo/src/sandbox-runtime/nodejs', '/var/runtime'],
    ['/repo/.build/runtimes/node24/bin', '/var/lang/bin'],
  ]);
  assert.ok(!args.some((a) => a === '--bind' || a === '--dev-bind' || a === '--ro-bind-try'), 'nothing of the host is writable, nothing else of it bound');
  assert.deepEqual(after(args, '--symlink', 2), [['usr/bin', '/bin']]);
  assert.deepEqual(after(args, '--tmpfs'), [['/tmp']]);
  assert.deepEqual(after(args, '--size'), [[String(512 * 1048576)]]);
  assert.deepEqual(after(args, '--dir'), [['/var/task'], ['/opt']]);
  assert.deepEqual(args.slice(-4), ['--remount-ro', '/', '--chdir', '/var/task']);
});

test('an /etc bind must be a clean path under /etc', () => {
  for (const bad of ['/usr/lib', '/etc', '/etc/../root', 'etc/ssl', '/etc/ssl/']) {
    assert.throws(() => bwrapArgs({ ...input, etcBinds: [bad] }), /clean path under \/etc/, bad);
  }
});

test('runtime mounts are ordered parents first and must be clean absolute paths outside reserved places', () => {
  assert.deepEqual(runtimeMountsInOrder({ '/a/b/c': '/x', '/a': '/y', '/a/b': '/z' }).map(([t]) => t), ['/a', '/a/b', '/a/b/c']);
  for (const bad of ['relative', '/a/../etc', '/a/', '/', '/proc', '/proc/1', '/dev/shm', '/var/task', '/opt', '/tmp', '/etc', '/usr', '/var/rapid']) {
    assert.throws(() => runtimeMountsInOrder({ [bad]: '/x' }), Error, bad);
  }
  assert.throws(() => runtimeMountsInOrder({ '/var/lang': 'relative' }));
});

test('the sandbox\'s pid 1 is the supervisor, which runs the runtime command', () => {
  assert.deepEqual(supervisorCommand(6, ['/var/lang/bin/node', '/var/runtime/bootstrap.mjs']), ['/var/rapid/init', 'supervise', '6', '--', '/var/lang/bin/node', '/var/runtime/bootstrap.mjs']);
  assert.deepEqual(supervisorCommand(6, ['/var/runtime/bootstrap'], '127.0.0.1:9001'), ['/var/rapid/init', 'supervise', '6', '--runtime-api', '127.0.0.1:9001', '--', '/var/runtime/bootstrap']);
});

test('arguments are NUL-separated for --args and may not contain NUL', () => {
  assert.equal(encodeArgs(['--a', 'b c']).toString(), '--a\0b c\0');
  assert.throws(() => encodeArgs(['x\0y']));
});

test('a command for the waiting exec helper: the environment, an empty record, then ARGV from an absolute path', () => {
  assert.equal(encodeCommand({ A: '1', B: 'x y' }, ['/usr/bin/bwrap', '--args', '4']).toString(), 'A=1\0B=x y\0\0/usr/bin/bwrap\0--args\x004\0');
  assert.equal(encodeCommand({}, ['/bin/true']).toString(), '\0/bin/true\0');
  assert.throws(() => encodeCommand({}, ['bwrap']), /absolute path/);
  assert.throws(() => encodeCommand({ 'A=B': '1' }, ['/bin/true']), /variable name/);
  assert.throws(() => encodeCommand({ A: 'x\0y' }, ['/bin/true']), /NUL/);
});
