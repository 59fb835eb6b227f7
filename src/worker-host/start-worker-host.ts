import { rm } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import type { FlintConfig } from '../config/index.ts';
import { componentLogger, CpuIdleSampler, type Clock, type Logger } from '../shared/index.ts';
import { hostPoolDemand } from './pool-demand.ts';
import { SandboxPool } from './sandbox-pool.ts';
import { CodeCache } from './code-cache.ts';
import { LayerCache } from './layer-cache.ts';
import type { LogSink } from './log-capture.ts';
import { RuntimeApiServer } from './runtime-api/index.ts';
import { defaultRuntimePaths, RUNTIMES, RuntimeStore } from './runtimes/index.ts';
import {
  chooseHostAccess, NamespaceSandboxDriver, ProcessSandboxDriver, sandboxInstanceName, type HostAccessChoice, type IsolationReport, type SandboxDriver,
} from './sandbox/index.ts';
import { StoreRuntimes } from './store-runtimes.ts';
import { WorkerHost } from './worker-host.ts';
import type { PackageSource } from './verified-package-cache.ts';
import { defaultMemoryBudgetMb } from './memory-budget.ts';

export interface WorkerHostDeps {
  readonly config: FlintConfig;
  readonly dataDir: string;
  /** Where packages come from: the code store in the all-in-one process, a front end (through the L1) on a worker host. */
  readonly codeStore: PackageSource;
  /** This host's id (`local` for the in-process host). */
  readonly id?: string;
  /** Where functions' log events go: the log store the logs routes read, or (on a worker host of a cluster) a shipper to a front end. */
  readonly logStore: LogSink;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** This host's capacity and one function's sandboxes on it, as placement reads it when it chooses a host. */
export interface HostCapacityView {
  readonly id: string;
  readonly healthy: boolean;
  readonly memoryBudgetMb: number;
  readonly memoryCommittedMb: number;
  readonly memoryMeasuredMb: number;
  readonly sandboxesOfFunction: number;
}

export interface WorkerHostRuntime {
  readonly host: WorkerHost;
  /** Memory this host gives to sandboxes (`hostMemoryBudgetMb`, else the machine's memory less a reserve). */
  readonly memoryBudgetMb: number;
  /** The host as the placement service tracks it (placement's `PlacedHost`; main.ts registers it there). */
  readonly placed: { readonly host: WorkerHost; view(functionName: string): HostCapacityView };
  /** What this host really enforces (shown at start and in status). */
  readonly isolation: IsolationReport;
  /** Which host services sandboxes reach through `host.flint.internal`, and why (undefined without a network namespace). */
  readonly hostAccess: HostAccessChoice | undefined;
  /** Address at which sandboxes reach the host (`host.flint.internal`), when they have network. */
  readonly hostAddress: string | undefined;
  /** Tells sandboxes started from now on where Flint's Lambda API and SQS queues are (`AWS_ENDPOINT_URL_LAMBDA`, `AWS_ENDPOINT_URL_SQS`). */
  setLambdaEndpoint(url: string): void;
  readonly pool: SandboxPool;
  /** The runtimes installed on this machine (what a worker host offers when it registers). */
  readonly runtimes: readonly string[];
  close(): Promise<void>;
}

/**
 * Pool cells run with these limits until a function's own replace them: a full CPU,
 * so that starting and warming a runtime is not slowed to a small function's share.
 */
const POOL_LIMITS = { memoryMb: 512, cpuMillis: 1000, pidsMax: 1024, tmpSizeMb: 512 } as const;
/** Builds the in-process worker host: sandbox driver, Runtime API, runtimes, code cache, pool, logs. */
export async function startWorkerHost(deps: WorkerHostDeps): Promise<WorkerHostRuntime> {
  const { config, dataDir, logger } = deps;
  const hostAccessChoice = chooseHostAccess(config.sandboxHostAccess, config.host, config.sandboxNetwork);
  const driver = await openDriver(config, dataDir, hostAccessChoice, logger);
  const isolation = driver.isolation;
  // what the driver enforces, which may be wider than asked where it says so in `degraded`
  const hostAccess = isolation.hostAccess === undefined ? undefined : { ...hostAccessChoice, access: isolation.hostAccess };
  if (isolation.degraded.length > 0) logger.warn({ degraded: isolation.degraded }, `sandbox isolation is degraded (driver ${isolation.driver})`);
  else logger.info({ driver: isolation.driver, network: isolation.network, hostAccess: isolation.hostAccess }, 'sandbox isolation enforced');

  const runtimeApi = new RuntimeApiServer({ log: componentLogger(logger, 'runtime-api') });
  const platformVariables: Record<string, string> = {};
  const runtimeStore = new RuntimeStore(defaultRuntimePaths(), logger);
  const runtimes = new StoreRuntimes(runtimeStore, config.region, platformVariables);
  const cacheDir = join(dataDir, 'cache', 'code');
  await rm(cacheDir, { recursive: true, force: true }); // L1 is not crash-safe: start it empty
  const pool = new SandboxPool({
    driver,
    runtimeApi,
    logStore: deps.logStore,
    logger,
    demand: hostPoolDemand(config),
    poolLimits: POOL_LIMITS,
    cpuIdleShare: ((sampler) => () => sampler.idleShare())(new CpuIdleSampler()),
  });
  const codeCache = new CodeCache(cacheDir, deps.codeStore);
  const host = new WorkerHost({
    id: deps.id ?? 'local',
    pool,
    codeCache,
    layerCache: new LayerCache(join(cacheDir, 'opt'), codeCache),
    runtimes,
    clock: deps.clock,
    logger,
    initTimeoutMs: config.initTimeoutMs,
  });
  const hostAddress = driver.hostAddress;
  const memoryBudgetMb = config.hostMemoryBudgetMb ?? defaultMemoryBudgetMb(totalmem());
  return {
    host,
    memoryBudgetMb,
    isolation,
    hostAccess,
    hostAddress,
    pool,
    get runtimes() {
      return Object.keys(RUNTIMES).filter((id) => runtimeStore.resolve(id).ok);
    },
    placed: {
      host,
      view: (functionName) => {
        const { memoryInUseMb, sandboxesOfFunction } = host.usage(functionName);
        // this host does not measure its sandboxes' memory yet: measured = committed, so it is never oversubscribed
        return { id: host.id, healthy: true, memoryBudgetMb, memoryCommittedMb: memoryInUseMb, memoryMeasuredMb: memoryInUseMb, sandboxesOfFunction };
      },
    },
    setLambdaEndpoint(url) {
      platformVariables.AWS_ENDPOINT_URL_LAMBDA = url;
      // Flint's SQS-compatible queues are on the same endpoint (AWS_ENDPOINT_URL is left alone: it would send every other service to Flint too)
      platformVariables.AWS_ENDPOINT_URL_SQS = url;
    },
    async close() {
      await pool.close();
      await driver.close();
      await runtimeApi.close();
    },
  };
}

async function openDriver(config: FlintConfig, dataDir: string, hostAccess: HostAccessChoice, logger: Logger): Promise<SandboxDriver> {
  if (config.sandboxDriver === 'process') return new ProcessSandboxDriver(join(dataDir, 'sandboxes'));
  return NamespaceSandboxDriver.open({
    instanceName: sandboxInstanceName(dataDir),
    network: config.sandboxNetwork,
    hostAccess: hostAccess.access,
    logger: componentLogger(logger, 'sandbox-driver'),
  });
}
