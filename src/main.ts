/**
 * The one place that builds and wires Flint's components. Every role runs in this
 * one process by default (embedded database, local disk, one worker host).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { createApiServer, type FastifyInstance } from './api/index.ts';
import { createAsyncInvoke, logStoreAttemptLog, type AsyncInvoke } from './async-invoke/index.ts';
import { FileCodeStore } from './code-store/index.ts';
import type { FlintConfig } from './config/index.ts';
import { createControlPlane } from './control-plane/index.ts';
import { openDatabase } from './db/index.ts';
import { CountingService } from './counting/index.ts';
import { InvokeService, registerInvokeRoute } from './frontend/index.ts';
import { PlacementService } from './placement/index.ts';
import { FlintMetrics, registerLogsRoute, registerStatusRoutes } from './status/index.ts';
import { componentLogger, CpuIdleSampler, createLogger, systemClock, type Logger } from './shared/index.ts';
import { fixedKeepAlive, histogramKeepAlive, ProvisionedReconciler, WorkerManager, versionKey } from './worker-manager/index.ts';
import { FileLogStore, startWorkerHost, type HostAccessChoice } from './worker-host/index.ts';

export interface RunningFlint {
  /** `http://HOST:PORT` of the Lambda API. */
  readonly endpoint: string;
  readonly config: FlintConfig;
  readonly logger: Logger;
  /** Which host services functions reach through `host.flint.internal`, and why (undefined without sandbox network). */
  readonly hostAccess: HostAccessChoice | undefined;
  /** The async invoke queue, pollers and dead-letter store (`stats()` for status pages and metrics). */
  readonly asyncInvoke: AsyncInvoke;
  /** Stops accepting requests, drains, and releases every resource. Idempotent. */
  stop(): Promise<void>;
}

export async function startFlint(config: FlintConfig, logger: Logger = createLogger(config.logLevel)): Promise<RunningFlint> {
  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = openDatabase(join(dataDir, 'flint.db'));
  const codeStore = await FileCodeStore.open(dataDir);
  const account = { region: config.region, accountId: config.accountId };
  const counting = new CountingService({ accountLimit: config.accountConcurrency, minUnreserved: config.minUnreservedConcurrency });

  const controlPlane = createControlPlane({
    db,
    codeStore,
    account,
    quotas: { concurrentExecutions: config.accountConcurrency, totalCodeSizeBytes: config.codeStorageLimitBytes },
    ledger: counting,
    clock: systemClock,
    logger,
    codeLocationKey: randomBytes(32),
  });
  controlPlane.start(); // also loads every stored reservation into the counting service

  // Data plane: one worker host in this process, placement over it, worker manager, counting, front end.
  const logStore = new FileLogStore(join(dataDir, 'logs'));
  const workerHost = await startWorkerHost({ config, dataDir, codeStore, logStore, clock: systemClock, logger: componentLogger(logger, 'worker-host') });
  const placement = new PlacementService({ policy: { oversubscription: config.hostMemoryOversubscription, oomGuard: config.hostOomGuardPercent / 100 } });
  placement.register(workerHost.placed);
  const workers = new WorkerManager({
    placement,
    clock: systemClock,
    logger: componentLogger(logger, 'worker-manager'),
    idleTimeoutMs: config.sandboxIdleTimeoutMs,
    keepAlive: config.keepAlivePolicy === 'histogram' ? histogramKeepAlive({ fallback: fixedKeepAlive(config.sandboxIdleTimeoutMs) }) : fixedKeepAlive(config.sandboxIdleTimeoutMs),
    keepAliveBins: { binMs: config.keepAliveBinMs, bins: config.keepAliveBins },
    maxLifetimeMs: config.sandboxMaxLifetimeMs,
    scaleUp: { perInterval: config.scaleUpPerInterval, intervalMs: config.scaleUpIntervalMs, burst: config.scaleUpBurst },
  });
  const provisioning = new ProvisionedReconciler({ source: controlPlane.provisioned, sandboxes: workers, keyOf: versionKey, logger: componentLogger(logger, 'provisioned-concurrency') });
  // often enough for the shortest keep-alive: half the fixed one, or one histogram bin
  const reapEveryMs = Math.min(10_000, Math.max(100, config.sandboxIdleTimeoutMs / 2), config.keepAlivePolicy === 'histogram' ? Math.max(100, config.keepAliveBinMs) : Infinity);
  const reaper = setInterval(() => void workers.reap(), reapEveryMs);
  reaper.unref();
  // A changed $LATEST, a deleted version or function: its sandboxes are stale (and provisioned ones may be unwanted).
  const stopRetiring = controlPlane.onFunctionChanged((change) => {
    void workers.retire(change.functionName, change.version);
    provisioning.kick();
  });
  const metrics = new FlintMetrics({
    sandboxesByState: () => sandboxesByState(workers.snapshot()),
    poolCells: () => Object.values(workerHost.pool.sizes()).reduce((a, b) => a + b, 0),
    poolMemoryBytes: () => workerHost.pool.memoryBytes(),
    concurrencyInUse: () => counting.inUse().total,
    asyncQueue: () => asyncInvoke.stats(),
  });
  // The one invoke path; Event invokes go to the async queue (built next, which delivers through this same path).
  const invoker = new InvokeService({
    resolver: controlPlane.resolver,
    counting,
    workers,
    events: { enqueue: (target, request) => asyncInvoke.enqueue(target, request) },
    observer: metrics,
  });
  const asyncInvoke = createAsyncInvoke({
    db,
    functions: controlPlane.resolver,
    invoker,
    attemptLog: logStoreAttemptLog(logStore, logger),
    account,
    clock: systemClock,
    logger,
    cpuIdleShare: ((sampler) => () => sampler.idleShare())(new CpuIdleSampler()),
    options: {
      maxInFlight: config.asyncPollers,
      delays: { functionErrorBaseMs: config.asyncRetryBaseDelayMs, backoffBaseMs: config.asyncThrottleBaseDelayMs, backoffMaxMs: config.asyncThrottleMaxDelayMs },
      leaseMs: MAX_FUNCTION_TIMEOUT_MS + config.initTimeoutMs + 60_000,
      scanIntervalMs: config.asyncScanIntervalMs,
    },
  });

  const app = createApiServer({ logger });
  controlPlane.register(app);
  registerInvokeRoute(app, { invoker });
  asyncInvoke.register(app);
  registerStatusRoutes(app, {
    metrics,
    status: () => ({
      isolation: workerHost.isolation,
      hosts: [{ id: workerHost.host.id, memoryBudgetMb: workerHost.memoryBudgetMb, ...workerHost.host.usage('') }],
      sandboxes: workers.snapshot(),
      pool: workerHost.pool.sizes(),
      poolMemoryBytes: workerHost.pool.memoryBytes(),
      concurrency: { inUse: counting.inUse().total, accountLimit: config.accountConcurrency, unreservedLimit: counting.unreservedLimit() },
      async: asyncInvoke.stats(),
    }),
  });
  registerLogsRoute(app, { logs: logStore });
  const sandboxListener = await listen(app, config, workerHost.hostAddress).catch(async (err: unknown) => {
    await workerHost.close();
    throw err;
  });
  const endpoint = sandboxListener.endpoint;
  if (sandboxListener.sandboxEndpoint) workerHost.setLambdaEndpoint(sandboxListener.sandboxEndpoint);
  asyncInvoke.start();
  provisioning.start();

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      clearInterval(reaper);
      stopRetiring();
      sandboxListener.server?.close();
      // Stop accepting at once; in-flight invocations get the grace period, then their
      // sandboxes are stopped, which ends them with an error instead of keeping the
      // process alive for up to a function's whole timeout.
      const closed = app.close();
      await asyncInvoke.stop();
      await provisioning.stop();
      // a connection that finished its request stays open (keep-alive) until closed as idle
      const closeIdle = setInterval(() => app.server.closeIdleConnections(), 50);
      if (!(await settlesWithin(closed, config.shutdownGraceMs))) logger.warn({ graceMs: config.shutdownGraceMs }, 'stopping sandboxes of invocations still in flight');
      clearInterval(closeIdle);
      await workers.close();
      if (!(await settlesWithin(closed, 1000))) app.server.closeAllConnections();
      await closed;
      await workerHost.close();
      controlPlane.stop();
      db.close();
    })());
  return { endpoint, config, logger, hostAccess: workerHost.hostAccess, asyncInvoke, stop };
}

function sandboxesByState(rows: ReadonlyArray<{ idle: number; busy: number }>): Record<string, number> {
  const out = { Idle: 0, Busy: 0 };
  for (const r of rows) {
    out.Idle += r.idle;
    out.Busy += r.busy;
  }
  return out;
}

/** Lambda's longest function timeout: no invocation outlives a lease longer than this plus init. */
const MAX_FUNCTION_TIMEOUT_MS = 900_000;

/**
 * Listens on the configured address, and also on the host's sandbox-network address
 * (`host.flint.internal`) so that handlers reach the Lambda API with no configuration.
 */
async function listen(app: FastifyInstance, config: FlintConfig, hostAddress: string | undefined) {
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const endpoint = `http://${host}:${address.port}`;
  if (hostAddress === undefined) return { endpoint, sandboxEndpoint: undefined, server: undefined };
  const server = createServer((req, res) => app.routing(req, res));
  await new Promise<void>((resolveListen, reject) => server.once('error', reject).listen(address.port, hostAddress, () => resolveListen()));
  return { endpoint, sandboxEndpoint: `http://host.flint.internal:${address.port}`, server };
}

/** True if `promise` settles within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => (timer = setTimeout(resolve, ms, false)));
  try {
    return await Promise.race([promise.then(() => true, () => true), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
