/**
 * Containment of the namespace sandbox: what a process inside can see and do.
 * Each test runs a real sandbox (bubblewrap, cgroups, seccomp, network namespace).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { NamespaceSandboxDriver } from '../../src/worker-host/sandbox/namespace-sandbox-driver.ts';
import { LIMITS, PRELUDE, codeDir, openDriver, startPython, SKIP_WITHOUT_SANDBOXES } from './sandbox-fixture.ts';

describe('namespace sandbox containment', { skip: SKIP_WITHOUT_SANDBOXES }, () => {
  let driver: NamespaceSandboxDriver;
  before(async () => {
    driver = await openDriver();
  });
  after(() => driver.close());

  test('a process in the sandbox cannot read host files outside its view', async () => {
    const run = await startPython(driver, `${PRELUDE}
emit(work=attempt(lambda: os.listdir('/work')), root=attempt(lambda: os.listdir('/root')),
     home=attempt(lambda: os.listdir('/home')), run=attempt(lambda: os.listdir('/run')),
     sys=attempt(lambda: os.listdir('/sys')), shadow=attempt(lambda: open('/etc/shadow').read()),
     var=sorted(os.listdir('/var')), task=os.listdir('/var/task'), top=sorted(os.listdir('/')), etc=sorted(os.listdir('/etc')),
     hosts=open('/etc/hosts').read(), user=open('/etc/passwd').read())
`);
    await run.finish();
    const [r] = run.json<Record<string, unknown>>();
    assert.ok(r, run.output());
    for (const key of ['work', 'root', 'home', 'run', 'sys', 'shadow']) assert.equal(r[key], 'ENOENT', `${key}: ${String(r[key])}`);
    assert.deepEqual(r.top, ['bin', 'dev', 'etc', 'lib', 'lib64', 'opt', 'proc', 'sbin', 'tmp', 'usr', 'var']);
    assert.deepEqual(r.var, ['rapid', 'task'], '/var/rapid holds the supervisor');
    assert.deepEqual(r.task, [], 'an unspecialized sandbox has an empty /var/task');
    assert.ok(!(r.etc as string[]).includes('shadow'));
    assert.match(String(r.hosts), /host\.flint\.internal/);
    assert.doesNotMatch(String(r.user), /\/root:\/bin\/(ba)?sh/);
  });

  test('the host\'s CA certificates and alternatives are in the sandbox /etc as the host has them, read-only', async () => {
    const dirs = ['/etc/ssl/certs', '/etc/alternatives'].filter((d) => existsSync(d));
    const run = await startPython(driver, `${PRELUDE}
dirs = ${JSON.stringify(dirs)}
emit(listing={d: sorted(os.listdir(d)) for d in dirs},
     links={d: {n: os.readlink(os.path.join(d, n)) for n in sorted(os.listdir(d))[:20] if os.path.islink(os.path.join(d, n))} for d in dirs},
     bundle=len(open('/etc/ssl/certs/ca-certificates.crt').read()) if os.path.exists('/etc/ssl/certs/ca-certificates.crt') else None,
     writes={d: attempt(lambda: open(os.path.join(d, 'new'), 'w')) for d in dirs})
`);
    await run.finish();
    const [r] = run.json<{ listing: Record<string, string[]>; links: Record<string, Record<string, string>>; bundle: number | null; writes: Record<string, string> }>();
    assert.ok(r, run.output());
    for (const dir of dirs) {
      assert.deepEqual(r.listing[dir], readdirSync(dir).sort(), dir);
      for (const [name, target] of Object.entries(r.links[dir]!)) assert.equal(target, readlinkSync(`${dir}/${name}`), `${dir}/${name}`);
      assert.equal(r.writes[dir], 'EROFS', dir);
    }
    if (existsSync('/etc/ssl/certs/ca-certificates.crt')) assert.equal(r.bundle, readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8').length, 'the CA bundle reads through its links');
  });

  test('a process in the sandbox sees only its own processes, not the host\'s', async () => {
    const run = await startPython(driver, `${PRELUDE}
pids = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())
init = open('/proc/1/cmdline').read().split('\\0')
os.kill(1, 9)
time.sleep(0.2)
emit(pids=pids, init=init[:3], me=os.getpid(), init_after_kill=os.path.exists('/proc/1'),
     host_pid=attempt(lambda: os.kill(${process.pid}, 0)))
`);
    await run.finish();
    const [r] = run.json<{ pids: number[]; init: string[]; me: number; host_pid: string; init_after_kill: boolean }>();
    assert.ok(r, run.output());
    assert.ok(r.pids.length <= 3 && r.pids.every((p) => p <= 3), `pids ${r.pids.join(',')}`);
    assert.deepEqual(r.init, ['/var/rapid/init', 'supervise', '6'], 'pid 1 is the supervisor');
    assert.equal(r.init_after_kill, true, 'the function cannot kill the supervisor');
    assert.equal(r.me, 2);
    assert.equal(r.host_pid, 'ESRCH');
  });

  test('a process in the sandbox runs as uid 65534 without capabilities and cannot mount, ptrace or create namespaces', async () => {
    const run = await startPython(driver, `${PRELUDE}
import ctypes, signal
libc = ctypes.CDLL(None, use_errno=True)
def sys_ok(rc):
    if rc == -1: raise OSError(ctypes.get_errno(), 'denied')
child = os.fork()
if child == 0:
    time.sleep(10); os._exit(0)
status = {l.split(':')[0]: l.split(':')[1].strip() for l in open('/proc/self/status') if ':' in l}
emit(uid=os.getuid(), gid=os.getgid(), groups=os.getgroups(), cap_eff=status['CapEff'], cap_bnd=status['CapBnd'],
     no_new_privs=status['NoNewPrivs'], seccomp=status['Seccomp'],
     mount=attempt(lambda: sys_ok(libc.mount(b'none', b'/tmp', b'tmpfs', 0, None))),
     umount=attempt(lambda: sys_ok(libc.umount2(b'/var/task', 2))),
     ptrace=attempt(lambda: sys_ok(libc.ptrace(16, child, None, None))),
     unshare_user=attempt(lambda: sys_ok(libc.unshare(0x10000000))),
     unshare_net=attempt(lambda: sys_ok(libc.unshare(0x40000000))),
     clone_newpid=attempt(lambda: sys_ok(libc.syscall(56, 0x20000000 | 17, 0, 0, 0, 0))),
     setns=attempt(lambda: sys_ok(libc.setns(os.open('/proc/self/ns/net', os.O_RDONLY), 0))),
     keyctl=attempt(lambda: sys_ok(libc.syscall(250, 0, 0, 0, 0, 0))),
     bpf=attempt(lambda: sys_ok(libc.syscall(321, 0, 0, 0))),
     setuid=attempt(lambda: os.setuid(0)),
     chroot=attempt(lambda: os.chroot('/tmp')))
os.kill(child, signal.SIGKILL)
`);
    await run.finish();
    const [r] = run.json<Record<string, unknown>>();
    assert.ok(r, run.output());
    assert.equal(r.uid, 65534);
    assert.equal(r.gid, 65534);
    assert.deepEqual(r.groups, []);
    assert.equal(r.cap_eff, '0000000000000000');
    assert.equal(r.cap_bnd, '0000000000000000');
    assert.equal(r.no_new_privs, '1');
    assert.equal(r.seccomp, '2');
    for (const call of ['mount', 'umount', 'ptrace', 'unshare_user', 'unshare_net', 'clone_newpid', 'setns', 'keyctl', 'bpf', 'chroot']) {
      assert.equal(r[call], 'EPERM', `${call}: ${String(r[call])}`);
    }
    assert.equal(r.setuid, 'EINVAL', 'root is not even mapped in the sandbox');
  });

  test('/var/task shows the specialized code read-only, /opt the layers, and the root is read-only', async () => {
    const code = codeDir({ 'handler.py': 'print("hello")\n', 'lib/data.txt': 'data\n' }, { writable: true });
    const layers = codeDir({ 'python/layer.py': 'X = 1\n' }, { writable: true });
    const run = await startPython(driver, `${PRELUDE}
wait_for('/var/task/handler.py')
emit(files=sorted(os.listdir('/var/task')), handler=open('/var/task/handler.py').read(),
     nested=open('/var/task/lib/data.txt').read(), layer=open('/opt/python/layer.py').read(),
     write_task=attempt(lambda: open('/var/task/new.txt', 'w')), modify_task=attempt(lambda: open('/var/task/handler.py', 'a')),
     write_opt=attempt(lambda: open('/opt/x', 'w')), write_root=attempt(lambda: open('/x', 'w')),
     write_etc=attempt(lambda: open('/etc/new', 'w')), write_usr=attempt(lambda: open('/usr/x', 'w')),
     write_tmp=attempt(lambda: open('/tmp/x', 'w').write('ok')))
`);
    const server = helperServer();
    const descriptors = openFiles(server);
    await run.box.specialize({ codeDir: code, layersDir: layers }, LIMITS);
    await assert.rejects(run.box.specialize({ codeDir: code }, LIMITS), /already specialized/);
    // the helper that mounted them entered the sandbox's mount namespace for it and is back in ours, holding nothing of it
    assert.equal(readlinkSync(`/proc/${server}/ns/mnt`), readlinkSync('/proc/self/ns/mnt'));
    assert.deepEqual(openFiles(server), descriptors);
    assert.ok(descriptors.includes(readlinkSync('/proc/self/ns/mnt')), `it holds its own namespace to go back to: ${descriptors.join(', ')}`);
    assert.ok(!readFileSync('/proc/self/mountinfo', 'utf8').includes(code), 'the code is mounted in the sandbox only');
    await run.finish();
    const [r] = run.json<Record<string, unknown>>();
    assert.ok(r, run.output());
    assert.deepEqual(r.files, ['handler.py', 'lib']);
    assert.equal(r.handler, 'print("hello")\n');
    assert.equal(r.nested, 'data\n');
    assert.equal(r.layer, 'X = 1\n');
    for (const key of ['write_task', 'modify_task', 'write_opt', 'write_root', 'write_etc', 'write_usr']) assert.equal(r[key], 'EROFS', `${key}: ${String(r[key])}`);
    assert.equal(r.write_tmp, 'ok');
  });

  test('filling /tmp past its limit fails with ENOSPC, at the size given by specialize', async () => {
    const run = await startPython(driver, `${PRELUDE}
wait_for('/var/task/ready')
st = os.statvfs('/tmp')
written = 0
def fill():
    global written
    with open('/tmp/fill', 'wb') as f:
        while True:
            f.write(b'x' * 1048576); f.flush(); written += 1
emit(size_mb=st.f_blocks * st.f_frsize // 1048576, fill=attempt(fill), written_mb=written)
`);
    await run.box.specialize({ codeDir: codeDir({ ready: '' }) }, { ...LIMITS, tmpSizeMb: 8 });
    await run.finish();
    const [r] = run.json<{ size_mb: number; fill: string; written_mb: number }>();
    assert.ok(r, run.output());
    assert.equal(r.size_mb, 8);
    assert.equal(r.fill, 'ENOSPC');
    assert.ok(r.written_mb <= 8, `wrote ${r.written_mb} MB`);
  });

  test('the environment is exactly the spec\'s plus AWS_LAMBDA_RUNTIME_API, without the host\'s', async () => {
    process.env.NODE_EXTRA_CA_CERTS = '/host/secret.pem';
    try {
      const run = await startPython(driver, `${PRELUDE}
emit(env=dict(os.environ), cwd=os.getcwd())
`, { env: { FOO: 'bar' } });
      await run.finish();
      const [r] = run.json<{ env: Record<string, string>; cwd: string }>();
      assert.ok(r, run.output());
      const { PWD, ...env } = r.env;
      assert.deepEqual(env, { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', FOO: 'bar', AWS_LAMBDA_RUNTIME_API: run.box.runtimeApiAddress });
      assert.equal(PWD, '/var/task');
      assert.equal(r.cwd, '/var/task');
    } finally {
      delete process.env.NODE_EXTRA_CA_CERTS;
    }
  });
});

/** What a process's descriptors point at, sorted. */
function openFiles(pid: number): string[] {
  return readdirSync(`/proc/${pid}/fd`).map((fd) => readlinkSync(`/proc/${pid}/fd/${fd}`)).sort();
}

/** Pid of this process's `flint-sandbox-helper serve` (the driver's specialisation server). */
function helperServer(): number {
  const servers = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).filter((pid) => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      return new RegExp(`^PPid:\\s+${process.pid}$`, 'm').test(status) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('serve');
    } catch {
      return false; // ended meanwhile
    }
  });
  assert.equal(servers.length, 1, `servers: ${servers.join(', ')}`);
  return Number(servers[0]);
}
