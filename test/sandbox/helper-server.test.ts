/**
 * The sandbox helper's server configures the sandbox side of a network slot over netlink
 * (netns-config.c), in a real network namespace, and reports what it could not do.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { encodeCommand } from '../../src/worker-host/sandbox/bwrap-args.ts';
import { HelperServer } from '../../src/worker-host/sandbox/helper-server.ts';
import { nativeTools } from '../../src/worker-host/sandbox/native-tools.ts';
import { SKIP_WITHOUT_SANDBOXES } from './sandbox-fixture.ts';

const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8' });

describe('sandbox helper server: network slots', { skip: SKIP_WITHOUT_SANDBOXES }, () => {
  const tag = randomBytes(3).toString('hex');
  const netns = `fltest-${tag}`; // not a Flint instance's name: no starting Flint reaps it
  const hostVeth = `ft${tag}`;
  const server = new HelperServer(nativeTools().helper);
  const config = { netnsPath: `/run/netns/${netns}`, address: '169.254.250.2', gateway: '169.254.250.1', gatewayMac: '02:fe:00:00:00:01', mode: 'bridge' } as const;

  before(() => {
    ip('netns', 'add', netns);
    ip('link', 'add', hostVeth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns);
  });
  after(() => {
    server.close();
    execFileSync('ip', ['link', 'del', hostVeth], { stdio: 'ignore' });
    ip('netns', 'del', netns);
  });

  test('configures eth0, lo, the gateway route and neighbour, the default route; again on a configured slot', async () => {
    for (let round = 0; round < 2; round++) {
      await server.configureNetwork(config);
      assert.match(ip('-n', netns, '-4', '-o', 'addr', 'show', 'dev', 'eth0'), /inet 169\.254\.250\.2\/32 /);
      assert.equal(ip('-n', netns, '-6', '-o', 'addr', 'show', 'dev', 'eth0').trim(), '', 'no IPv6 link-local address');
      assert.match(ip('-n', netns, '-o', 'link', 'show', 'dev', 'lo'), /[<,]UP[,>]/);
      assert.match(ip('-n', netns, '-o', 'link', 'show', 'dev', 'eth0'), /[<,]UP[,>]/);
      const routes = ip('-n', netns, '-4', 'route', 'show');
      assert.match(routes, /^169\.254\.250\.1 dev eth0 .*scope link/m);
      assert.match(routes, /^default via 169\.254\.250\.1 dev eth0/m);
      assert.match(ip('-n', netns, 'neigh', 'show', 'dev', 'eth0'), /169\.254\.250\.1 lladdr 02:fe:00:00:00:01 PERMANENT/);
    }
    assert.equal(ip('-4', '-o', 'addr', 'show', 'dev', hostVeth).trim(), '', 'nothing was configured outside the namespace');
  });

  test('names what failed, and keeps serving', async () => {
    await assert.rejects(server.configureNetwork({ ...config, netnsPath: `/run/netns/${netns}-missing` }), /setns net .*No such file/);
    await assert.rejects(server.configureNetwork({ ...config, gatewayMac: 'not-a-mac' }), /gateway mac/);
    await server.configureNetwork({ ...config, mode: 'isolated' });
  });
});

describe('sandbox helper exec --command-fd (a prepared start)', { skip: SKIP_WITHOUT_SANDBOXES }, () => {
  /** The helper waiting for its command on fd 3, as the driver prepares it (no namespace or cgroups here). */
  async function waiting() {
    const child = spawn(nativeTools().helper, ['exec', '--uid', '65534', '--gid', '65534', '--command-fd', '3'], { stdio: ['ignore', 'pipe', 'pipe', 'pipe'], env: {} });
    const socket = child.stdio[3] as Duplex;
    const [word] = (await once(socket, 'data')) as [Buffer];
    assert.equal(word.toString(), 'j', 'in place, as the sandbox user: it says so before reading');
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d));
    child.stderr!.on('data', (d: Buffer) => (err += d));
    const exited = once(child, 'exit').then(([code]) => ({ code: code as number, out, err }));
    const uids = readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/^Uid:\s+(.*)$/m)?.[1]?.split(/\s+/);
    return { socket, exited, uids };
  }

  test('runs the command it is sent, with the environment it is sent, as the sandbox user', async () => {
    const helper = await waiting();
    assert.deepEqual(helper.uids, ['65534', '65534', '65534', '65534']);
    helper.socket.end(encodeCommand({ GREETING: 'hello' }, ['/usr/bin/env']));
    assert.deepEqual(await helper.exited, { code: 0, out: 'GREETING=hello\n', err: '' }, 'that environment and nothing else');
  });

  test('exits 0 at the end of its command socket with nothing sent (a prepared start given up), and refuses a malformed command', async () => {
    const givenUp = await waiting();
    givenUp.socket.end();
    assert.deepEqual(await givenUp.exited, { code: 0, out: '', err: '' });
    const relative = await waiting();
    relative.socket.end(Buffer.from('\0sh\0'));
    const refused = await relative.exited;
    assert.equal(refused.code, 111);
    assert.match(refused.err, /read command from fd/);
  });
});
