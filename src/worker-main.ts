/**
 * Wiring of the worker host role (`flint worker`): the sandbox machinery of one machine (driver,
 * pool, Runtime API servers), its host API for front ends, and the agent that registers it with
 * the front end given by `--join` and heartbeats (moving to another live front end when that one dies). It holds no database credentials: code comes
 * from the front ends (verified by digest, cached in the L1), its sandboxes' log lines go to them (LogShipper), everything durable stays with them.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { createApiServer } from './api/index.ts';
import { HEARTBEAT_INTERVAL_MS, HostApi, LogShipper, WorkerAgent } from './cluster/index.ts';
import type { FlintConfig } from './config/index.ts';
import { componentLogger, createLogger, systemClock, type Logger } from './shared/index.ts';
import { startWorkerHost, VerifiedPackageCache } from './worker-host/index.ts';

export { JoinRefused } from './cluster/index.ts';

export interface WorkerNodeOptions {
  /** Base URL of the front end to join. */
  readonly join: string;
  readonly token: string;
  /** Address and port of the host API (port 0 picks a free one). */
  readonly listenHost: string;
  readonly listenPort: number;
  /** Base URL front ends reach the host API at, when not the bound address (e.g. listening on 0.0.0.0). */
  readonly advertise?: string | undefined;
}

export interface RunningWorker {
  readonly id: string;
  /** Base URL of the host API. */
  readonly endpoint: string;
  readonly logger: Logger;
  /** No new sandboxes; busy invokes finish (within the shutdown grace); then every sandbox goes and the host leaves. Idempotent. */
  drain(reason: string): Promise<void>;
  /** Settles once the worker has drained and stopped. */
  readonly stopped: Promise<void>;
}

/** Front ends refresh their view of the hosts every 500 ms: a draining host keeps its idle sandboxes this long so that none is claimed after it is gone. */
const DRAIN_NOTICE_MS = 1_500;

export async function startWorkerNode(config: FlintConfig, options: WorkerNodeOptions, logger: Logger = createLogger(config.logLevel)): Promise<RunningWorker> {
  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const id = `worker-${randomBytes(6).toString('hex')}`;
  const log = logger.child({ host: id });
  const origins = new Map<string, string>();
  const ref: { agent?: WorkerAgent } = {};
  const packages = new VerifiedPackageCache(
    join(dataDir, 'cache', 'packages'),
    (sha) => {
      if (ref.agent === undefined) throw new Error('not registered yet');
      return ref.agent.fetchPackage(origins.get(sha) ?? ref.agent.current, sha);
    },
    (sha) => log.warn({ sha256: sha }, 'a cached package failed its digest check: fetching it again'),
  );
  // Log lines go to the front end that placed their sandbox (or any live one), stored before the invoke is answered.
  const logShipper = new LogShipper({
    post: (frontEnd, shipment) => {
      if (ref.agent === undefined) return Promise.reject(new Error('not registered yet'));
      return ref.agent.shipLogs(frontEnd, shipment);
    },
  });
  const workerHost = await startWorkerHost({ config, dataDir, codeStore: packages, logStore: logShipper, clock: systemClock, logger: componentLogger(log, 'worker-host'), id });

  let draining: Promise<void> | undefined;
  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((r) => (resolveStopped = r));
  const app = createApiServer({ logger: componentLogger(log, 'host-api') });
  const hostApi = new HostApi({
    host: workerHost.host,
    key: () => ref.agent?.key,
    joinToken: options.token,
    codeFrom: (sha, frontEnd) => origins.set(sha, frontEnd),
    onBehalfOf: (frontEnd, run) => logShipper.onBehalfOf(frontEnd, run),
    onDrainRequested: () => void drain('drain requested'),
    logger: componentLogger(log, 'host-api'),
  });
  hostApi.register(app);
  try {
    await app.listen({ host: options.listenHost, port: options.listenPort });
  } catch (err) {
    await workerHost.close();
    throw err;
  }
  const address = app.server.address() as AddressInfo;
  const endpoint = options.advertise ?? `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  const agent = new WorkerAgent({
    join: options.join,
    token: options.token,
    registration: { hostId: id, endpoint, memoryMb: workerHost.memoryBudgetMb, cpus: availableParallelism(), runtimes: workerHost.runtimes },
    usage: () => hostApi.usage(),
    onForgotten: () => hostApi.destroyAll('the front end forgot this host'),
    onDrainRequested: () => void drain('lease over'),
    logger: componentLogger(log, 'agent'),
  });
  ref.agent = agent;
  const drain = (reason: string): Promise<void> =>
    (draining ??= (async () => {
      const a = agent;
      log.info({ reason }, 'draining');
      hostApi.drain();
      await a.announceDraining().catch((err: unknown) => log.warn({ err }, 'could not announce draining'));
      await sleep(DRAIN_NOTICE_MS);
      const deadline = Date.now() + config.shutdownGraceMs;
      while (hostApi.busy() > 0 && Date.now() < deadline) await sleep(100);
      if (hostApi.busy() > 0) log.warn({ graceMs: config.shutdownGraceMs }, 'stopping sandboxes of invocations still in flight');
      await hostApi.destroyAll('host draining');
      await a.leave().catch((err: unknown) => log.warn({ err }, 'could not deregister'));
      app.server.closeAllConnections();
      await app.close();
      await workerHost.close();
      log.info('drained and left');
      resolveStopped();
    })());

  try {
    await agent.register();
  } catch (err) {
    await app.close();
    await workerHost.close();
    throw err;
  }
  agent.start();
  // sandboxes whose front end died are reclaimed (no other front end knows them)
  const orphans = setInterval(() => void hostApi.reapOrphans(agent.frontEnds), HEARTBEAT_INTERVAL_MS);
  orphans.unref();
  void stopped.then(() => clearInterval(orphans));
  return { id, endpoint, logger: log, drain, stopped };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
