/**
 * The sandbox network: link-local addresses only, the host as host.flint.internal,
 * no sandbox-to-sandbox traffic, each Runtime API on its sandbox's own loopback, NAT egress in
 * bridge mode and none in isolated mode. No packet leaves the machine: "the
 * outside" is a network namespace made by the test (198.18.x.0/30, a benchmark range).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { after, before, describe, test } from 'node:test';
import type { NamespaceSandboxDriver } from '../../src/worker-host/sandbox/namespace-sandbox-driver.ts';
import type { HostAccess } from '../../src/worker-host/sandbox/host-access.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { PRELUDE, openDriver, startPython, SKIP_WITHOUT_SANDBOXES, type Started } from './sandbox-fixture.ts';

/** An HTTP server on the host that answers with the caller's address. */
async function whoAmIServer(host: string): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => res.end(req.socket.remoteAddress));
  server.unref(); // a failed test must not keep the file's process alive (its own close is skipped then)
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, port: (server.address() as { port: number }).port };
}

/** A network namespace standing for the outside world, routed from the host over a veth. */
function fakeUpstream(): { address: string; close: () => void } {
  const n = randomInt(0, 64) * 4;
  const name = `flintup${randomInt(0, 1e6)}`;
  const dev = `fu${name.slice(7)}`;
  const ip = (args: string) => execFileSync('ip', args.split(' '), { timeout: 10_000 });
  ip(`netns add ${name}`);
  ip(`link add ${dev} type veth peer name eth0 netns ${name}`);
  ip(`addr add 198.18.${n}.1/30 dev ${dev}`);
  ip(`link set ${dev} up`);
  ip(`-n ${name} addr add 198.18.${n}.2/30 dev eth0`);
  ip(`-n ${name} link set eth0 up`);
  ip(`-n ${name} link set lo up`);
  ip(`-n ${name} route add default via 198.18.${n}.1`);
  execFileSync('sh', ['-c', `echo 1 > /proc/sys/net/ipv4/conf/${dev}/forwarding`]);
  const server = `import http.server
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(self.client_address[0].encode())
    def log_message(self, *a): pass
http.server.HTTPServer(('0.0.0.0', 8000), H).serve_forever()`;
  execFileSync('sh', ['-c', `nsenter --net=/run/netns/${name} /usr/bin/python3 -c "$0" >/dev/null 2>&1 & echo $! > /tmp/${name}.pid`, server]);
  execFileSync('sh', ['-c', `for i in $(seq 100); do nsenter --net=/run/netns/${name} python3 -c "import socket; socket.create_connection(('127.0.0.1', 8000), 1)" 2>/dev/null && exit 0; sleep 0.05; done; exit 1`]);
  return {
    address: `198.18.${n}.2`,
    close: () => {
      execFileSync('sh', ['-c', `kill $(cat /tmp/${name}.pid); rm -f /tmp/${name}.pid; ip link del ${dev}; ip netns del ${name}`], { timeout: 10_000 });
    },
  };
}

function hostAddress(): string {
  const addr = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal);
  assert.ok(addr, 'the host has an IPv4 address besides loopback');
  return addr.address;
}

describe('sandbox network', { skip: SKIP_WITHOUT_SANDBOXES }, () => {
  let bridge: NamespaceSandboxDriver;
  let isolated: NamespaceSandboxDriver;
  /** Bridge drivers by host access (`gateway` is `bridge`). */
  let byAccess: Record<HostAccess, NamespaceSandboxDriver>;
  let upstream: { address: string; close: () => void };
  before(async () => {
    let all: NamespaceSandboxDriver, none: NamespaceSandboxDriver;
    [bridge, isolated, all, none] = await Promise.all([
      openDriver({ hostAccess: 'gateway' }), openDriver({ network: 'isolated' }), openDriver({ hostAccess: 'all' }), openDriver({ hostAccess: 'none' }),
    ]);
    byAccess = { all, gateway: bridge, none };
    upstream = fakeUpstream();
  });
  after(async () => {
    upstream.close();
    await Promise.all([bridge, isolated, byAccess.all, byAccess.none].map((d) => d.close()));
  });

  test('sandboxes get distinct link-local addresses and reach the host as host.flint.internal, which sees their own address', async () => {
    const who = await whoAmIServer(bridge.gateway);
    const script = `${PRELUDE}
emit(me=fetch('http://host.flint.internal:${who.port}/'))`;
    const [a, b] = await Promise.all([startPython(bridge, script), startPython(bridge, script)]);
    await Promise.all([a.finish(), b.finish()]);
    who.server.close();
    for (const run of [a, b]) {
      const [r] = run.json<{ me: string }>();
      assert.ok(r, run.output());
      assert.match(run.box.address!, /^169\.254\./);
      assert.equal(r.me, run.box.address, 'the host sees the sandbox by its own address');
      assert.equal(run.box.hostAddress, bridge.gateway);
    }
    assert.notEqual(a.box.address, b.box.address);
  });

  test('each sandbox reaches its own Runtime API at 127.0.0.1:9001, its own loopback; not another sandbox\'s, which nothing outside it reaches', async () => {
    const listening = await Promise.all([listeningSandbox(bridge, 8080), listeningSandbox(bridge, 8080)]);
    const runs = await Promise.all(listening.map((_, i) => startPython(bridge, `${PRELUDE}
emit(env=os.environ['AWS_LAMBDA_RUNTIME_API'],
     api=fetch('http://127.0.0.1:9001/'),
     other_api=attempt(lambda: connect('${listening[i]!.box.address}', 9001)),
     gateway_api=attempt(lambda: connect('host.flint.internal', 9001)))
`)));
    await Promise.all(runs.map((r) => r.finish()));
    const fromHost = await Promise.all(listening.map((l) => hostConnect(l.box.address!, 9001)));
    const control = await Promise.all(listening.map((l) => hostConnect(l.box.address!, 8080)));
    await Promise.all(listening.map((l) => l.box.destroy().then(() => l.api.close())));
    for (const [i, run] of runs.entries()) {
      const [r] = run.json<Record<string, string>>();
      assert.ok(r, run.output());
      assert.equal(r.env, '127.0.0.1:9001');
      assert.equal(run.box.runtimeApiAddress, '127.0.0.1:9001');
      assert.equal(JSON.parse(r.api!).you, '127.0.0.1', 'the connection never left the sandbox');
      assert.deepEqual(run.peers, ['127.0.0.1'], 'its own Runtime API got its one connection');
      assert.equal(r.other_api, 'TimeoutError', 'another sandbox\'s Runtime API is out of reach');
      assert.equal(r.gateway_api, 'TimeoutError', 'no Runtime API on the gateway (host access gateway: nothing bound there on 9001)');
      assert.deepEqual(listening[i]!.peers, [], 'the other sandbox\'s Runtime API saw no connection');
    }
    assert.deepEqual(control, ['ok', 'ok'], 'positive control: the sandboxes\' own listeners take connections from the host');
    assert.deepEqual(fromHost.map((m) => /ECONNREFUSED/.test(m)), [true, true], `${fromHost.join(', ')}: a Runtime API listens on the sandbox's loopback only: the host cannot reach it either`);
  });

  test('two sandboxes cannot reach each other', async () => {
    const server = await startPython(bridge, `${PRELUDE}
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('0.0.0.0', 8080)); s.listen()
emit(listening=True)
time.sleep(30)
`);
    await waitFor(() => server.output().includes('listening'), { timeoutMs: 5000, everyMs: 5, what: 'the listening sandbox' });
    const intruder = await startPython(bridge, `${PRELUDE}
emit(peer=attempt(lambda: connect('${server.box.address}', 8080)))
`);
    await intruder.finish();
    const fromHost = await new Promise<string>((resolve) => {
      // destroy, not end: the sandbox never accepts, and a half-closed socket to a namespace that is then removed
      // lingers in FIN-WAIT-1 for the kernel's ~15 min of retransmissions, keeping this test process alive
      const socket = connect(8080, server.box.address!, () => (socket.destroy(), resolve('ok'))).on('error', (e) => resolve(e.message));
    });
    await server.box.destroy();
    server.api.close();
    const [r] = intruder.json<Record<string, string>>();
    assert.ok(r, intruder.output());
    assert.equal(r.peer, 'TimeoutError', 'no sandbox-to-sandbox connection');
    assert.equal(fromHost, 'ok', 'the listener itself was up');
  });

  test('a host listener shared by sandboxes sees each by its source address, which a sandbox cannot forge', async (t) => {
    const seen: string[] = [];
    const shared = createServer((req, res) => (seen.push(req.socket.remoteAddress ?? ''), res.end()));
    await new Promise<void>((r) => shared.listen(0, bridge.hostAddress!, r));
    const port = (shared.address() as { port: number }).port;
    const victim = await startPython(bridge, 'import time; time.sleep(30)');
    const forger = await startPython(bridge, `${PRELUDE}
import socket
def forged():
    s = socket.socket(); s.settimeout(0.5)
    s.setsockopt(socket.SOL_IP, 15, 1)  # IP_FREEBIND: bind an address that is not ours
    s.bind(('${victim.box.address}', 0)); s.connect(('${bridge.hostAddress}', ${port})); s.close()
emit(own=attempt(lambda: fetch('http://${bridge.hostAddress}:${port}/')), forged=attempt(forged))
`);
    await forger.finish();
    await victim.finish(0);
    shared.close();
    const [r] = forger.json<Record<string, string>>();
    assert.ok(r, forger.output());
    assert.equal(r.own, 'ok');
    t.diagnostic(`forged source address: ${r.forged}`);
    assert.notEqual(r.forged, 'ok');
    assert.deepEqual(seen, [forger.box.address], 'the listener saw the forger under its own address only');
  });

  test('host access: all reaches wildcard listeners, gateway only listeners bound to host.flint.internal, none nothing (the Runtime API is the sandbox\'s own); never 127.0.0.1-only services, other host or link-local addresses, or other sandboxes', async () => {
    const wildcard = await whoAmIServer('0.0.0.0');
    const loopback = await whoAmIServer('127.0.0.1');
    const settings = ['all', 'gateway', 'none'] as const;
    const gateways = settings.map((a) => byAccess[a].gateway);
    const bound = await Promise.all(gateways.map((g) => whoAmIServer(g)));
    const neighbours = await Promise.all(settings.map((a) => listeningSandbox(byAccess[a], 8080)));
    const runs = await Promise.all(settings.map((access, i) => {
      const other = (i + 1) % settings.length; // the next instance: its gateway and a sandbox of it are link-local addresses of another block
      return startPython(byAccess[access], `${PRELUDE}
emit(wildcard=attempt(lambda: connect('host.flint.internal', ${wildcard.port})),
     loopback_only=attempt(lambda: connect('host.flint.internal', ${loopback.port})),
     bound=attempt(lambda: connect('host.flint.internal', ${bound[i]!.port})),
     api=attempt(lambda: fetch('http://' + os.environ['AWS_LAMBDA_RUNTIME_API'] + '/')),
     neighbour=attempt(lambda: connect('${neighbours[i]!.box.address}', 8080)),
     other_instance_sandbox=attempt(lambda: connect('${neighbours[other]!.box.address}', 8080)),
     other_instance_gateway=attempt(lambda: connect('${gateways[other]}', ${wildcard.port})),
     other_host_address=attempt(lambda: connect('${hostAddress()}', ${wildcard.port})))
`);
    }));
    await Promise.all(runs.map((r) => r.finish()));
    // positive controls: every listener takes connections where it is bound (the neighbours from the host)
    const fromHost = await Promise.all([
      hostConnect('127.0.0.1', wildcard.port), hostConnect('127.0.0.1', loopback.port), ...gateways.map((g, i) => hostConnect(g, bound[i]!.port)),
      ...gateways.map((g) => hostConnect(g, wildcard.port)), ...neighbours.map((n) => hostConnect(n.box.address!, 8080)),
    ]);
    await Promise.all(neighbours.map((n) => n.box.destroy().then(() => n.api.close())));
    for (const server of [wildcard, loopback, ...bound]) server.server.close();
    assert.deepEqual(fromHost, fromHost.map(() => 'ok'), 'every listener is up');
    const expected: Record<HostAccess, Record<string, string>> = {
      // with all, the host stack takes every packet to the gateway: a port with no listener there answers a reset
      all: { wildcard: 'ok', loopback_only: 'ECONNREFUSED', bound: 'ok' },
      gateway: { wildcard: 'TimeoutError', loopback_only: 'TimeoutError', bound: 'ok' },
      none: { wildcard: 'TimeoutError', loopback_only: 'TimeoutError', bound: 'TimeoutError' },
    };
    settings.forEach((access, i) => {
      const [r] = runs[i]!.json<Record<string, string>>();
      assert.ok(r, runs[i]!.output());
      assert.deepEqual(r, {
        ...expected[access], api: 'ok', neighbour: 'TimeoutError', other_instance_sandbox: 'TimeoutError', other_instance_gateway: 'TimeoutError', other_host_address: 'TimeoutError',
      }, `host access ${access}`);
      assert.equal(byAccess[access].isolation.hostAccess, access);
      assert.deepEqual(byAccess[access].isolation.degraded, []);
    });
    assert.equal(byAccess.none.hostAddress, undefined, 'host access none offers no host address (no Lambda API endpoint)');
    assert.equal(byAccess.all.hostAddress, gateways[0]);
  });

  test('bridge mode: traffic to the outside leaves through NAT with the host\'s address', async () => {
    const run = await startPython(bridge, `${PRELUDE}
emit(seen_as=fetch('http://${upstream.address}:8000/'))
`);
    await run.finish();
    const [r] = run.json<{ seen_as: string }>();
    assert.ok(r, run.output());
    assert.equal(r.seen_as, upstream.address.replace(/\.2$/, '.1'));
  });

  test('isolated mode: only the sandbox\'s own Runtime API is reachable', async () => {
    const gateway = isolated.gateway;
    const who = await whoAmIServer(gateway);
    const run = await startPython(isolated, `${PRELUDE}
emit(api=attempt(lambda: fetch('http://' + os.environ['AWS_LAMBDA_RUNTIME_API'] + '/')),
     host=attempt(lambda: connect('${gateway}', ${who.port})),
     outside=attempt(lambda: connect('${upstream.address}', 8000)))
`);
    await run.finish();
    who.server.close();
    const [r] = run.json<Record<string, string>>();
    assert.ok(r, run.output());
    assert.equal(run.box.hostAddress, undefined);
    assert.equal(r.api, 'ok');
    assert.equal(r.host, 'TimeoutError');
    assert.equal(r.outside, 'ENETUNREACH');
  });
});

/** A sandbox with a TCP listener on all its addresses at `port`, once it listens. */
async function listeningSandbox(driver: NamespaceSandboxDriver, port: number): Promise<Started> {
  const run = await startPython(driver, `${PRELUDE}
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('0.0.0.0', ${port})); s.listen()
emit(listening=True)
time.sleep(60)
`);
  await waitFor(() => run.output().includes('listening'), { timeoutMs: 15_000, everyMs: 5, what: 'the listening sandbox' });
  assert.match(run.output(), /listening/);
  return run;
}

/** Connects from the host (the test process): 'ok' or the error message. */
function hostConnect(host: string, port: number): Promise<string> {
  return new Promise<string>((resolve) => {
    // destroy, not end: a half-closed socket to a namespace that is then removed lingers in FIN-WAIT-1 (see above)
    const socket = connect(port, host, () => (socket.destroy(), resolve('ok'))).on('error', (e) => resolve(e.message));
  });
}
