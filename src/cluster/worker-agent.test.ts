import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiServer, type FastifyInstance } from '../api/index.ts';
import { createLogger } from '../shared/index.ts';
import { FileLogStore, openSqliteStorage, type LogStore, type Storage } from '../storage/index.ts';
import { registerClusterRoutes } from './cluster-routes.ts';
import { newJoinToken, tokenDigest } from './join-token.ts';
import { LogShipper } from './log-shipper.ts';
import { WorkerAgent } from './worker-agent.ts';
import { CLUSTER_PATHS } from './wire.ts';

const logger = createLogger('silent');
const PACKAGE = Buffer.from('a zip, as far as this test cares');
const SHA = createHash('sha256').update(PACKAGE).digest('hex');
/** A clock that moves on at every reading: each heartbeat is recorded at a later time than the one before. */
let ticks = Date.now();
const clock = { now: () => ++ticks };

interface FrontEnd {
  readonly url: string;
  /** `METHOD path` of every request it received. */
  readonly seen: string[];
  /** Dies: stops listening and drops its connections. */
  close(): Promise<void>;
}

/**
 * Front ends over one shared store: each a real HTTP server with the cluster routes, knowing no
 * host in memory (`known` answers nothing), so a host registered through one is served by another
 * only through the store. Each lists `live()` as the live front ends in its heartbeat answers.
 */
async function frontEnd(storage: Storage, logs: LogStore, live: () => readonly string[]): Promise<FrontEnd> {
  const app: FastifyInstance = createApiServer({ logger });
  const seen: string[] = [];
  app.addHook('onRequest', async (req) => void seen.push(`${req.method} ${req.url}`));
  registerClusterRoutes(app, {
    hosts: storage.hosts,
    joinTokens: storage.joinTokens,
    packages: { get: async (sha) => (sha === SHA ? PACKAGE : Promise.reject(new Error('no such package'))) },
    logs,
    known: () => undefined,
    hostLeaseMs: 3_600_000,
    clock,
    logger,
    frontEnds: live,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, close: () => app.close() };
}

/** A front end that accepts connections and never answers (hung, or partitioned after the handshake), or answers 503 to everything (shutting down). */
async function brokenFrontEnd(how: 'hung' | 'closing'): Promise<FrontEnd & { server: Server }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (how === 'closing') res.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"Service Unavailable"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    server,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

describe('WorkerAgent with several front ends', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  after(async () => {
    for (const c of cleanup.reverse()) await c().catch(() => undefined);
  });

  async function cluster(count: number, extra: readonly string[] = []) {
    const storage = openSqliteStorage(':memory:');
    cleanup.push(() => storage.close());
    const logDir = mkdtempSync(join(tmpdir(), 'flint-agent-logs-'));
    cleanup.push(async () => rmSync(logDir, { recursive: true, force: true }));
    const logs = new FileLogStore(join(logDir, 'logs'), join(logDir, 'retention.json'));
    const token = newJoinToken();
    await storage.joinTokens.add(tokenDigest(token), 0);
    const urls: string[] = [];
    const ends: FrontEnd[] = [];
    for (let i = 0; i < count; i++) {
      const fe = await frontEnd(storage, logs, () => [...urls.slice(0, 1), ...extra, ...urls.slice(1)]);
      urls.push(fe.url);
      ends.push(fe);
      cleanup.push(() => fe.close());
    }
    const forgotten: string[] = [];
    const agent = new WorkerAgent({
      join: ends[0]!.url,
      token,
      registration: { hostId: 'worker-1', endpoint: 'http://127.0.0.1:1', memoryMb: 1024, cpus: 2, runtimes: ['nodejs22.x'] },
      usage: () => ({ memoryInUseMb: 128, sandboxes: 1 }),
      onForgotten: async () => void forgotten.push('forgotten'),
      onDrainRequested: () => undefined,
      logger,
      heartbeatTimeoutMs: 300,
    });
    cleanup.push(async () => agent.stop());
    const host = async () => (await storage.hosts.list()).find((h) => h.id === 'worker-1');
    return { storage, logs, ends, agent, host, forgotten };
  }

  it('learns the live front ends from heartbeats and, when its own dies, heartbeats, fetches code, drains and leaves through another', async () => {
    const { ends, agent, host, forgotten } = await cluster(2);
    const [a, b] = [ends[0]!, ends[1]!];
    await agent.register();
    await agent.heartbeat();
    assert.deepEqual(agent.frontEnds, [a.url, b.url]);
    assert.equal(agent.current, a.url);
    assert.equal(b.seen.length, 0, 'nothing went to the other front end while its own answered');

    await a.close(); // kill -9 of the front end it joined
    const before = (await host())!.heartbeatMs;
    await agent.heartbeat();
    assert.equal(agent.current, b.url);
    assert.ok(b.seen.includes(`POST ${CLUSTER_PATHS.heartbeat('worker-1')}`), 'the heartbeat went to the other front end');
    const row = (await host())!;
    assert.ok(row.heartbeatMs > before, 'and it was recorded in the shared store');
    assert.deepEqual([row.memoryInUseMb, row.sandboxes], [128, 1]);
    assert.deepEqual(forgotten, [], 'the other front end knew the host: no re-registration');

    // code placed from the dead front end comes from a live one
    assert.deepEqual(await agent.fetchPackage(a.url, SHA), PACKAGE);
    assert.ok(b.seen.includes(`GET ${CLUSTER_PATHS.code(SHA)}`));

    await agent.announceDraining();
    assert.equal((await host())!.draining, true);
    await agent.leave();
    assert.equal(await host(), undefined, 'left the shared store through the live front end');
  });

  it('skips listed front ends that do not answer in time or are shutting down, and registers again through a live one when the store forgot the host', async () => {
    const hung = await brokenFrontEnd('hung');
    const closing = await brokenFrontEnd('closing');
    cleanup.push(() => hung.close(), () => closing.close());
    const { storage, ends, agent, host, forgotten } = await cluster(2, [hung.url, closing.url, 'http://0.0.0.0:1']);
    const [a, b] = [ends[0]!, ends[1]!];
    await agent.register();
    await agent.heartbeat();
    assert.deepEqual(agent.frontEnds, [a.url, hung.url, closing.url, b.url], 'an unspecified address is no front end to call');

    await a.close();
    await agent.heartbeat();
    assert.ok(hung.seen.includes(`POST ${CLUSTER_PATHS.heartbeat('worker-1')}`), 'tried the hung front end next');
    assert.ok(closing.seen.includes(`POST ${CLUSTER_PATHS.heartbeat('worker-1')}`), 'then the one shutting down');
    assert.equal(agent.current, b.url, 'and moved on to the one that answered');

    // the host was removed meanwhile (say, found silent): the live front end says so, and the host joins again through it
    await storage.hosts.remove('worker-1');
    await agent.heartbeat();
    assert.deepEqual(forgotten, ['forgotten']);
    assert.ok(b.seen.includes(`POST ${CLUSTER_PATHS.hosts}`));
    assert.ok((await host()) !== undefined, 'registered again');
    await agent.heartbeat();
    assert.equal(agent.current, b.url);
  });

  it('ships log lines to the front end a sandbox runs on behalf of, to another when that one is gone, and refuses them without the host key', async () => {
    const { ends, agent, logs } = await cluster(2);
    const [a, b] = [ends[0]!, ends[1]!];
    await agent.register();
    await agent.heartbeat();
    const shipper = new LogShipper({ post: (frontEnd, shipment) => agent.shipLogs(frontEnd, shipment), maxPostBytes: 64 });
    const group = '/aws/lambda/f';
    const read = async (stream: string) => (await logs.read(group, stream)).events.map((e) => e.message);

    // placed by b: its lines go to b, though the host talks to a; appends waiting meanwhile travel together, in order
    const lines = Array.from({ length: 12 }, (_, i) => ({ timestampMs: i, message: `line ${i}` }));
    await shipper.onBehalfOf(b.url, () => Promise.all(lines.map((l) => shipper.append(group, 's1', [l]))));
    assert.deepEqual(await read('s1'), lines.map((l) => l.message), 'stored before the appends resolved');
    const posts = (fe: FrontEnd) => fe.seen.filter((r) => r === `POST ${CLUSTER_PATHS.logs}`).length;
    assert.equal(posts(a), 0);
    assert.ok(posts(b) >= 2 && posts(b) < lines.length, `batched in posts of at most 64 bytes: ${posts(b)} posts`);

    // no context (a sandbox reaped as an orphan): the host's current front end
    await shipper.append(group, 's2', [{ timestampMs: 1, message: 'orphan' }]);
    assert.equal(posts(a), 1);

    await b.close();
    await shipper.onBehalfOf(b.url, () => shipper.append(group, 's1', [{ timestampMs: 20, message: 'after b died' }]));
    assert.deepEqual((await read('s1')).at(-1), 'after b died', 'went to a live front end instead');

    const res = await fetch(`${a.url}${CLUSTER_PATHS.logs}`, {
      method: 'POST',
      headers: { authorization: 'Bearer wrong', 'x-flint-host-id': 'worker-1', 'content-type': 'application/json' },
      body: JSON.stringify({ streams: [{ group, stream: 's3', events: [[1, 'forged']] }] }),
    });
    assert.equal(res.status, 403);
    assert.equal(await logs.streams(group).then((s) => s?.some((x) => x.name === 's3')), false);
    const malformed = await fetch(`${a.url}${CLUSTER_PATHS.logs}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent.key!}`, 'x-flint-host-id': 'worker-1', 'content-type': 'application/json' },
      body: JSON.stringify({ streams: [{ group, stream: 's3', events: [['not a time', 'x']] }] }),
    });
    assert.equal(malformed.status, 400);
  });

  it('fails a call with the network error when no front end answers', async () => {
    const { ends, agent } = await cluster(1);
    await agent.register();
    await agent.heartbeat();
    assert.deepEqual(agent.frontEnds, [ends[0]!.url]);
    await ends[0]!.close();
    await assert.rejects(agent.heartbeat(), TypeError);
  });
});
