/**
 * The one place that builds and wires Flint's components. Every role runs in this
 * one process by default (embedded database, local disk, one worker host). With
 * `--database postgres://...` this process is one front end of a cluster: all durable
 * state is in PostgreSQL, shared with the other front ends, each function's synchronous
 * invokes run on the front end that owns it, and the account's concurrency is shared out.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { createApiServer, type FastifyInstance } from './api/index.ts';
import { Authenticator, Authorizer, ExecutionCredentials, registerAuthHook, requestSigner, SecretSeal, signedRequestOf, StoredKeyDirectory, type ResourcePolicyCheck } from './auth/index.ts';
import { ConcurrencyShareKeeper, FrontEndDirectory, FunctionOwners, HostDirectory, registerClusterRoutes } from './cluster/index.ts';
import { fanOutObserver, InvocationSeries, registerConsoleRoutes } from './console/index.ts';
import { createAsyncInvoke, logStoreAttemptLog, type AsyncInvoke } from './async-invoke/index.ts';
import { FileCodeStore, loadOrCreateMasterKey, MASTER_KEY_BYTES, type CodeStore } from './code-store/index.ts';
import { ConfigError, effectiveAuth, type FlintConfig } from './config/index.ts';
import { allowsInvoke, createControlPlane, type InvokeAction, type ResourcePolicies } from './control-plane/index.ts';
import { CountingService } from './counting/index.ts';
import { createEventSources } from './event-sources/index.ts';
import { anySignedRequest, policyAccess, registerFunctionUrls, urlHostRewrite, type IamGrant } from './function-urls/index.ts';
import { invokeServiceDoor, InvokeService, openApiDoor, OwnerInvoker, registerForwardedInvokeRoute, registerInvokeRoute, registerInvokeStreamRoute, localWarmUp, unobservedWarmUp, warmUpInvokePath, WarmUpResolver, type OwnerRouting, type WarmUpDoor } from './frontend/index.ts';
import { PlacementService } from './placement/index.ts';
import { registerLogsApi } from './logs/index.ts';
import { QueueService, registerSqsApi } from './queues/index.ts';
import { FlintMetrics, registerLogsRoute, registerStatusRoutes } from './status/index.ts';
import { componentLogger, CpuIdleSampler, createLogger, systemClock, type Logger } from './shared/index.ts';
import { FileLogStore, openPostgresStorage, openSqliteStorage, PostgresCodeStore, PostgresLogStore, sealingEnvironments, type Storage } from './storage/index.ts';
import { fixedKeepAlive, histogramKeepAlive, ProvisionedReconciler, WorkerManager, versionKey, type SandboxCredentialIssuer } from './worker-manager/index.ts';
import { startWorkerHost, type HostAccessChoice } from './worker-host/index.ts';

/** Added to a function's timeout: how long a front end waits for a worker host's answer to an invoke. */
const HOST_INVOKE_MARGIN_MS = 3_000;
/** The invoke path's warm-up before the API listens ends after this long, whatever its count. */
const WARM_UP_MAX_MS = 5_000;
/** The warm-up's runtime: any of the pool's would do, the path in Flint is the same. */
const WARM_UP_RUNTIME = 'nodejs24.x';

export interface RunningFlint {
  /** `http://HOST:PORT` of the Lambda API. */
  readonly endpoint: string;
  readonly config: FlintConfig;
  readonly logger: Logger;
  /** Which host services functions reach through `host.flint.internal`, and why (undefined without sandbox network or local worker). */
  readonly hostAccess: HostAccessChoice | undefined;
  /** The async invoke queue, pollers and dead-letter store (`stats()` for status pages and metrics). */
  readonly asyncInvoke: AsyncInvoke;
  /**
   * The SQS-compatible queues (QueueConsumer and QueueSender, by queue ARN): what event source
   * mapping pollers and async destinations are given.
   */
  readonly queues: QueueService;
  /** This front end's id among the cluster's (`fe-...`). */
  readonly frontEndId: string;
  /** The authentication in force (`--auth`, or none on a loopback address). */
  readonly auth: 'sigv4' | 'none';
  /** Stops accepting requests, drains, and releases every resource. Idempotent. */
  stop(): Promise<void>;
}

export async function startFlint(config: FlintConfig, logger: Logger = createLogger(config.logLevel)): Promise<RunningFlint> {
  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const auth = effectiveAuth(config);
  if (auth === undefined) throw new ConfigError(`Flint listens on ${config.host}, which is not a loopback address: give --auth sigv4 (or --auth none to accept any credentials on purpose)`);
  const { storage, codeStore, clusterKey, masterKey } = await openDurableState(config, dataDir);
  const clustered = clusterKey !== undefined;
  const frontEndId = `fe-${randomBytes(6).toString('hex')}`;
  const startedMs = systemClock.now();
  const account = { region: config.region, accountId: config.accountId };
  let endpoint = '';
  // Cluster: who else is alive, which of us owns each function, and this front end's share of the account.
  const frontEnds = clustered
    ? new FrontEndDirectory({ store: storage.frontEnds, self: { id: frontEndId, get endpoint() { return endpoint; } }, clock: systemClock, logger: componentLogger(logger, 'front-ends') })
    : undefined;
  const owners = new FunctionOwners(frontEndId, () => frontEnds?.live() ?? []);
  const shareKeeper: ConcurrencyShareKeeper | undefined = clustered
    ? new ConcurrencyShareKeeper({
        store: storage.concurrencyShares,
        holder: frontEndId,
        clock: systemClock,
        logger: componentLogger(logger, 'counting'),
        pool: (): number => counting.unreservedLimit(),
        inUse: (): number => counting.unreservedInUse(),
      })
    : undefined;
  const counting: CountingService = new CountingService({ accountLimit: config.accountConcurrency, minUnreserved: config.minUnreservedConcurrency, unreservedShare: shareKeeper });

  const controlPlane = createControlPlane({
    storage,
    codeStore,
    account,
    quotas: { concurrentExecutions: config.accountConcurrency, totalCodeSizeBytes: config.codeStorageLimitBytes },
    ledger: counting,
    clock: systemClock,
    logger,
    codeLocationKey: randomBytes(32),
  });
  await controlPlane.start(); // also loads every stored reservation into the counting service

  // Data plane: one worker host in this process (unless --no-local-worker), the hosts joined with
  // `flint worker` (the host directory), placement over them, worker manager, counting, front end.
  // Function logs: files all-in-one; in a cluster the shared database (worker hosts ship their lines to a front end).
  const logStore = config.database === undefined ? new FileLogStore(join(dataDir, 'logs'), join(dataDir, 'log-retention.json')) : await PostgresLogStore.open(config.database);
  const workerHost = config.localWorker
    ? await startWorkerHost({ config, dataDir, codeStore, logStore, clock: systemClock, logger: componentLogger(logger, 'worker-host') })
    : undefined;
  // With --auth sigv4 every sandbox gets its own execution-role credentials (docs/auth.md); without, the runtime's placeholders.
  const credentialSeal = new SecretSeal(masterKey);
  const executionCredentials = auth === 'sigv4' ? new ExecutionCredentials({ store: storage.credentials, seal: credentialSeal, accountId: config.accountId, clock: systemClock }) : undefined;
  const credentialSweep = executionCredentials === undefined ? undefined : setInterval(() => void executionCredentials.sweep().catch(() => undefined), 10 * 60_000);
  credentialSweep?.unref();
  const placement = new PlacementService({ policy: { oversubscription: config.hostMemoryOversubscription, oomGuard: config.hostOomGuardPercent / 100 } });
  if (workerHost) placement.register(workerHost.placed);
  const hostCreateTimeoutMs = config.initTimeoutMs + 120_000;
  const hostDirectory = new HostDirectory({
    store: storage.hosts,
    placement,
    clock: systemClock,
    logger: componentLogger(logger, 'cluster'),
    selfEndpoint: () => endpoint,
    refreshMs: 500,
    createTimeoutMs: hostCreateTimeoutMs,
    invokeMarginMs: HOST_INVOKE_MARGIN_MS,
  });
  const workers = new WorkerManager({
    placement,
    clock: systemClock,
    logger: componentLogger(logger, 'worker-manager'),
    idleTimeoutMs: config.sandboxIdleTimeoutMs,
    keepAlive: config.keepAlivePolicy === 'histogram' ? histogramKeepAlive({ fallback: fixedKeepAlive(config.sandboxIdleTimeoutMs) }) : fixedKeepAlive(config.sandboxIdleTimeoutMs),
    keepAliveBins: { binMs: config.keepAliveBinMs, bins: config.keepAliveBins },
    maxLifetimeMs: config.sandboxMaxLifetimeMs,
    scaleUp: { perInterval: config.scaleUpPerInterval, intervalMs: config.scaleUpIntervalMs, burst: config.scaleUpBurst },
    credentials: executionCredentials === undefined ? undefined : credentialIssuer(executionCredentials),
  });
  // In a cluster, a function's provisioned sandboxes are kept by its owner, under a lease in the database.
  const provisioning = new ProvisionedReconciler({
    source: controlPlane.provisioned,
    sandboxes: workers,
    keyOf: versionKey,
    logger: componentLogger(logger, 'provisioned-concurrency'),
    ...(clustered ? { owns: (name: string) => owners.ownsHere(name), leases: storage.leases, holder: frontEndId, clock: systemClock } : {}),
  });
  const stopFollowingFrontEnds = frontEnds?.onChange(() => {
    owners.membershipChanged();
    provisioning.kick();
  });
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
    poolCells: () => Object.values(workerHost?.pool.sizes() ?? {}).reduce((a, b) => a + b, 0),
    poolMemoryBytes: () => workerHost?.pool.memoryBytes() ?? 0,
    concurrencyInUse: () => counting.inUse().total,
    asyncQueue: () => asyncInvoke.stats(),
    hosts: () => hostRows(),
    frontEnds: () => frontEndRows(),
  });
  const hostRows = () => [
    ...(workerHost ? [{ id: workerHost.host.id, healthy: true, draining: false, memoryBudgetMb: workerHost.memoryBudgetMb, memoryInUseMb: workerHost.host.usage('').memoryInUseMb, sandboxes: workerHost.host.sandboxCount }] : []),
    ...hostDirectory.rows(),
  ];
  const invocationSeries = new InvocationSeries({ clock: systemClock }); // what the console plots
  const frontEndRows = () => frontEnds?.live() ?? [{ id: frontEndId, endpoint, startedMs, heartbeatMs: systemClock.now() }];
  // a forwarded invoke may wait on the owner for a new sandbox on a worker host, then for the invoke there
  const ownerInvoker = clustered ? new OwnerInvoker({ clusterKey, marginMs: hostCreateTimeoutMs + HOST_INVOKE_MARGIN_MS + 5_000 }) : undefined;
  // The one invoke path; Event invokes go to the async queue (built next, which delivers through this same path).
  // Its resolver also holds, while the warm-up runs before the API listens, Flint's own function.
  const warmUpResolver = new WarmUpResolver(controlPlane.resolver);
  const invoker = new InvokeService({
    resolver: warmUpResolver,
    counting,
    workers,
    events: { enqueue: (target, request) => asyncInvoke.enqueue(target, request) },
    observer: unobservedWarmUp(fanOutObserver(metrics, invocationSeries)),
    owners: ownerInvoker ? ownerRouting(owners, ownerInvoker) : undefined,
  });
  const queues = new QueueService({ store: storage.sqs, account, clock: systemClock, logger: componentLogger(logger, 'queues'), endpoint: () => endpoint });
  const asyncInvoke = createAsyncInvoke({
    stores: storage,
    functions: controlPlane.resolver,
    invoker,
    queues, // SQS destinations and dead-letter queues
    attemptLog: logStoreAttemptLog(logStore, logger),
    account,
    clock: systemClock,
    logger,
    cpuIdleShare: ((sampler) => () => sampler.idleShare())(new CpuIdleSampler()),
    options: {
      maxInFlight: config.asyncPollers,
      delays: { functionErrorBaseMs: config.asyncRetryBaseDelayMs, backoffBaseMs: config.asyncThrottleBaseDelayMs, backoffMaxMs: config.asyncThrottleMaxDelayMs },
      leaseMs: 30_000, // renewed every 10 s while a delivery runs: the events of a front end killed -9 come back within 30 s
      releaseLeasesAtStart: storage.engine === 'sqlite', // the embedded store has one user; a shared one has other live front ends
      scanIntervalMs: config.asyncScanIntervalMs,
    },
  });

  // Event source mappings: one poller per enabled mapping (across a cluster, under a lease per mapping).
  const eventSources = createEventSources({
    store: storage.eventSourceMappings,
    queues,
    functions: controlPlane.resolver,
    invoker,
    account,
    clock: systemClock,
    logger,
    reservedConcurrency: async (name) => (await storage.functions.getFunction(name))?.reservedConcurrency,
    cpuIdleShare: ((sampler) => () => sampler.idleShare())(new CpuIdleSampler()),
    leases: clustered ? { store: storage.leases, holder: frontEndId } : undefined,
  });

  const app = createApiServer({ logger, rewriteUrl: urlHostRewrite });
  const policyAllows: ResourcePolicyCheck = async (name, qualifier, action, callerAccountId) =>
    allowsInvoke(await controlPlane.policies.policyOf(name, qualifier), { action, principal: { account: callerAccountId } });
  const authenticator = new Authenticator({
    keys: new StoredKeyDirectory({ root: rootCredential(config), store: storage.credentials, seal: credentialSeal }),
    region: config.region,
    clock: systemClock,
  });
  // AWS_IAM function URLs: the signature (service lambda) of the URL as the caller sent it, then the caller's account or the policy
  const iamUrlGrant: IamGrant = async (name, qualifier, req) => {
    const caller = await authenticator.authenticate(signedRequestOf(req, (req.raw as { originalUrl?: string }).originalUrl ?? req.raw.url ?? req.url), 'lambda').catch(() => undefined);
    if (caller === undefined) return false;
    if (caller.accountId === account.accountId) return true;
    const policy = await controlPlane.policies.policyOf(name, qualifier);
    const allowed = (action: InvokeAction): boolean => allowsInvoke(policy, { action, principal: { account: caller.accountId }, functionUrlAuthType: 'AWS_IAM', invokedViaFunctionUrl: true });
    return allowed('lambda:InvokeFunctionUrl') && allowed('lambda:InvokeFunction');
  };
  if (auth === 'sigv4') registerAuthHook(app, { authenticator, authorizer: new Authorizer(account, policyAllows) });
  controlPlane.register(app);
  // Function URLs; the resource-policy check (a NONE URL's public grant) replaces signedRequestAccess when policies arrive.
  registerFunctionUrls(app, { store: storage.functionUrls, functions: controlPlane.resolver, invoker, access: policyAccess((name, qualifier) => publicUrlGrant(controlPlane.policies, name, qualifier), auth === 'sigv4' ? iamUrlGrant : anySignedRequest), account, clock: systemClock, urlHost: () => `localhost:${new URL(endpoint).port}` });
  registerInvokeRoute(app, { invoker });
  registerInvokeStreamRoute(app, { invoker });
  if (clustered) registerForwardedInvokeRoute(app, { clusterKey, runHere: (request) => invoker.invokeHere(request) });
  asyncInvoke.register(app);
  eventSources.register(app);
  registerClusterRoutes(app, {
    hosts: storage.hosts,
    joinTokens: storage.joinTokens,
    packages: codeStore,
    logs: logStore,
    known: (id) => hostDirectory.record(id),
    hostLeaseMs: config.hostLeaseMs,
    frontEnds: () => frontEndRows().map((f) => f.endpoint),
    clock: systemClock,
    logger: componentLogger(logger, 'cluster'),
  });
  const status = async () => ({
    isolation: workerHost?.isolation,
    hosts: hostRows(),
    frontEnds: frontEndRows().map((f) => ({ ...f, self: f.id === frontEndId })),
    sandboxes: workers.snapshot(),
    pool: workerHost?.pool.sizes() ?? {},
    poolMemoryBytes: workerHost?.pool.memoryBytes() ?? 0,
    concurrency: { inUse: counting.inUse().total, accountLimit: config.accountConcurrency, unreservedLimit: counting.unreservedLimit() },
    async: await asyncInvoke.stats(),
  });
  registerStatusRoutes(app, { metrics, status });
  // the console signs nothing: it is served only without authentication (docs/auth.md)
  if (auth === 'none') registerConsoleRoutes(app, { status, series: invocationSeries, clock: systemClock, logger: componentLogger(logger, 'console') });
  registerLogsRoute(app, { logs: logStore });
  registerLogsApi(app, { storage: logStore, clock: systemClock, region: config.region, accountId: config.accountId, logger: componentLogger(logger, 'logs') });
  registerSqsApi(app, queues);
  // Before the API listens, a function of Flint's own runs through the invoke path (V8 compiles it
  // now, not during the first requests); nothing of it is left after (frontend/warm-up.ts).
  // Through the API's own handler over loopback HTTP (under --auth sigv4 signed with the root
  // credential; without one, the warm-up has no key to sign with and goes straight to the invoke service).
  if (workerHost !== undefined && config.warmUpInvokes > 0) {
    const warmUpLogger = componentLogger(logger, 'warm-up');
    await app.ready();
    const root = rootCredential(config);
    const sign = auth === 'sigv4' && root !== undefined ? requestSigner(root, config.region) : undefined;
    const apiDoor = auth === 'none' || sign !== undefined ? await openApiDoor(app.routing, sign).catch((err: unknown) => void warmUpLogger.warn({ err }, 'no loopback listener for the warm-up; it goes straight to the invoke service')) : undefined;
    const door: WarmUpDoor = apiDoor?.door ?? invokeServiceDoor(invoker);
    try {
      const warmed = await warmUpInvokePath({ resolver: warmUpResolver, door, workers, code: codeStore, logs: logStore, account, runtime: WARM_UP_RUNTIME, invokes: config.warmUpInvokes, maxMs: WARM_UP_MAX_MS, clock: systemClock, logger: warmUpLogger });
      if (warmed !== undefined) logger.info({ ...warmed, through: apiDoor === undefined ? 'invoke service' : sign === undefined ? 'api' : 'api, signed' }, 'invoke path warmed up');
    } finally {
      await apiDoor?.close();
    }
  }
  const sandboxListener = await listen(app, config, workerHost?.hostAddress).catch(async (err: unknown) => {
    await workerHost?.close();
    throw err;
  });
  endpoint = config.advertiseUrl ?? sandboxListener.endpoint;
  if (sandboxListener.sandboxEndpoint) workerHost?.setLambdaEndpoint(sandboxListener.sandboxEndpoint);
  hostDirectory.start();
  await frontEnds?.start();
  await shareKeeper?.start();
  await asyncInvoke.start();
  provisioning.start();
  eventSources.start();

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      clearInterval(reaper);
      clearInterval(credentialSweep);
      stopRetiring();
      sandboxListener.server?.close();
      queues.stop(); // long polls answer now
      // Stop accepting at once; in-flight invocations get the grace period, then their
      // sandboxes are stopped, which ends them with an error instead of keeping the
      // process alive for up to a function's whole timeout.
      const closed = app.close();
      await asyncInvoke.stop();
      await eventSources.stop();
      await provisioning.stop();
      stopFollowingFrontEnds?.();
      await frontEnds?.stop(); // the others stop routing here at once
      // a connection that finished its request stays open (keep-alive) until closed as idle
      const closeIdle = setInterval(() => app.server.closeIdleConnections(), 50);
      if (!(await settlesWithin(closed, config.shutdownGraceMs))) logger.warn({ graceMs: config.shutdownGraceMs }, 'stopping sandboxes of invocations still in flight');
      clearInterval(closeIdle);
      await workers.close();
      hostDirectory.stop();
      if (!(await settlesWithin(closed, 1000))) app.server.closeAllConnections();
      await closed;
      ownerInvoker?.close();
      await workerHost?.close();
      controlPlane.stop();
      await shareKeeper?.stop();
      await logStore.close();
      await storage.close();
    })());
  return { endpoint, config, logger, hostAccess: workerHost?.hostAccess, asyncInvoke, queues, frontEndId, auth, stop };
}

/**
 * The durable state: the embedded SQLite database and file code store of the data directory, or
 * a cluster's PostgreSQL database (code included), function environment variables sealed under
 * the master key (storage/sealing/). A cluster's secrets (the key sealing its code
 * packages, the key front ends prove membership with) are created in the database by the first
 * front end, so that every front end holds the same ones without a shared file system.
 */
async function openDurableState(config: FlintConfig, dataDir: string): Promise<{ storage: Storage; codeStore: CodeStore; clusterKey: string | undefined; masterKey: Buffer }> {
  if (config.database === undefined) {
    const codeStore = await FileCodeStore.open(dataDir); // creates the master key on first start
    const storage = openSqliteStorage(join(dataDir, 'flint.db'));
    try {
      const masterKey = await loadOrCreateMasterKey(dataDir);
      return { storage: await sealingEnvironments(storage, masterKey), codeStore, clusterKey: undefined, masterKey };
    } catch (err) {
      await storage.close();
      throw err;
    }
  }
  const storage = await openPostgresStorage(config.database);
  try {
    const masterKey = await storage.secrets.getOrCreate('code-master-key', randomBytes(MASTER_KEY_BYTES));
    const clusterKey = (await storage.secrets.getOrCreate('front-end-key', randomBytes(32))).toString('base64url');
    return { storage: await sealingEnvironments(storage, masterKey), codeStore: await PostgresCodeStore.open(config.database, masterKey), clusterKey, masterKey };
  } catch (err) {
    await storage.close();
    throw err;
  }
}

/** Synchronous invokes go to the function's owner among the live front ends. */
function ownerRouting(owners: FunctionOwners, invoker: OwnerInvoker): OwnerRouting {
  // the warm-up's function runs where it is invoked (before the API listens, on this front end only)
  return localWarmUp({ ownerOf: (name) => owners.endpointOf(name), forward: (endpoint, request, functionTimeoutMs) => invoker.invoke(endpoint, request, functionTimeoutMs) });
}

function sandboxesByState(rows: ReadonlyArray<{ idle: number; busy: number }>): Record<string, number> {
  const out = { Idle: 0, Busy: 0 };
  for (const r of rows) {
    out.Idle += r.idle;
    out.Busy += r.busy;
  }
  return out;
}

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

/** Whether a function's (or alias's) resource policy opens its NONE URL to anyone: both actions, for `*`, through a URL. */
async function publicUrlGrant(policies: ResourcePolicies, functionName: string, qualifier: string | undefined): Promise<boolean> {
  const policy = await policies.policyOf(functionName, qualifier);
  const open = (action: InvokeAction): boolean => allowsInvoke(policy, { action, principal: '*', functionUrlAuthType: 'NONE', invokedViaFunctionUrl: true });
  return open('lambda:InvokeFunctionUrl') && open('lambda:InvokeFunction');
}

/** The root credential of the account, when FLINT_ROOT_ACCESS_KEY_ID and FLINT_ROOT_SECRET_ACCESS_KEY are both set. */
function rootCredential(config: FlintConfig): { accessKeyId: string; secretAccessKey: string; accountId: string } | undefined {
  if (config.rootAccessKeyId === undefined || config.rootSecretAccessKey === undefined) return undefined;
  return { accessKeyId: config.rootAccessKeyId, secretAccessKey: config.rootSecretAccessKey, accountId: config.accountId };
}

/** Each new sandbox's execution-role credentials, ended with the sandbox (a failed revoke leaves them to expire). */
function credentialIssuer(credentials: ExecutionCredentials): SandboxCredentialIssuer {
  return {
    issue: async (version) => {
      const minted = await credentials.mint(version.functionName, version.role);
      return { credentials: minted, revoke: () => credentials.revoke(minted.accessKeyId).catch(() => undefined) };
    },
  };
}
