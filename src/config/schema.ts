/**
 * Flint's one configuration schema. Every setting has a default, a unit in its
 * name where it has one, and a one-line doc. Flags (`--kebab-name`), environment
 * variables (`FLINT_SCREAMING_NAME`) and an optional JSON file all map onto it;
 * `resolveConfig` merges them once and freezes the result.
 */
import { z } from 'zod';

export interface Setting<T extends z.ZodType = z.ZodType> {
  readonly schema: T;
  readonly default: z.infer<T>;
  readonly doc: string;
  /** How the default is chosen, for a setting whose default depends on others (its `default` is then undefined). */
  readonly defaultDoc?: string;
  /** Its environment variable, where the interface names one other than `FLINT_<SCREAMING_NAME>`. */
  readonly env?: string;
}

function setting<T extends z.ZodType>(schema: T, def: z.infer<T>, doc: string, defaultDoc?: string, env?: string): Setting<T> {
  return { schema, default: def, doc, ...(defaultDoc === undefined ? {} : { defaultDoc }), ...(env === undefined ? {} : { env }) };
}

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);

export const SETTINGS = {
  host: setting(z.string().min(1), '127.0.0.1', 'address the API listens on'),
  port: setting(int(0, 65535), 9977, 'TCP port of the API (0 picks a free port)'),
  dataDir: setting(z.string().min(1), '.flint', 'directory holding all state (database, code, keys, logs); created on first start'),
  database: setting(
    z.string().regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL').optional(),
    undefined,
    "PostgreSQL database of a cluster (postgres://USER@HOST:PORT/DB): functions, code, queues and counts shared by every front end started with it; its schema is created on first start",
    'none: the embedded SQLite database in the data directory (one all-in-one Flint)',
    'FLINT_DATABASE_URL',
  ),
  advertiseUrl: setting(
    z.string().regex(/^https?:\/\/[^\s/]+$/, 'must be http(s)://HOST:PORT').optional(),
    undefined,
    'URL other front ends and worker hosts reach this front end at (a cluster on several machines; needed when --host is 0.0.0.0 or ::)',
    'http://HOST:PORT as listened on',
  ),
  auth: setting(
    z.enum(['sigv4', 'none']).optional(),
    undefined,
    'authentication of every API: sigv4 (AWS Signature Version 4, checked against the root and stored credentials; docs/auth.md) or none (any credentials are accepted)',
    'none while --host is a loopback address; on any other address Flint refuses to start unless --auth is given',
  ),
  rootAccessKeyId: setting(z.string().regex(/^[A-Z0-9]{16,128}$/, 'must be 16-128 upper-case letters and digits').optional(), undefined, 'access key id of the root credential of the account (--auth sigv4)', 'none: only keys made with `flint credentials create`'),
  rootSecretAccessKey: setting(z.string().min(8).max(128).optional(), undefined, 'secret access key of the root credential (prefer the environment variable to the flag)', 'none'),
  region: setting(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/), 'us-east-1', 'region used in ARNs and the sandbox environment'),
  accountId: setting(z.string().regex(/^\d{12}$/), '000000000000', '12-digit account id used in ARNs'),
  logLevel: setting(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info', 'server log level (JSON lines on stderr)'),
  accountConcurrency: setting(int(1), 1000, 'account-wide concurrent execution quota'),
  minUnreservedConcurrency: setting(int(0), 100, 'concurrency always left to functions without a reservation'),
  codeStorageLimitBytes: setting(int(1), 80 * 1024 * 1024 * 1024, 'total code storage quota reported by GetAccountSettings'),
  sandboxDriver: setting(z.enum(['namespace', 'process']), 'namespace', 'isolation boundary for sandboxes (process = no isolation, development only)'),
  sandboxNetwork: setting(z.enum(['bridge', 'isolated']), 'bridge', 'sandbox network: bridge (egress via NAT, host.flint.internal) or isolated (no egress)'),
  sandboxHostAccess: setting(
    z.enum(['all', 'gateway', 'none']).optional(),
    undefined,
    'host services functions reach at host.flint.internal: all (every port the host listens on, not 127.0.0.1-only ones), gateway (only services bound to host.flint.internal itself) or none (nothing; each sandbox has its Runtime API on its own loopback); never other sandboxes or link-local addresses',
    'all while --host is a loopback address, gateway otherwise (a shared host), none with --sandbox-network isolated',
  ),
  sandboxIdleTimeoutMs: setting(int(0), 5 * 60 * 1000, 'idle sandboxes are reclaimed after this keep-alive (the fixed policy, and the histogram policy\'s fallback)'),
  keepAlivePolicy: setting(z.enum(['fixed', 'histogram']), 'fixed', 'keep-alive of idle sandboxes: fixed (sandboxIdleTimeoutMs) or histogram (per function, from its idle times; Shahrad et al., ATC \'20)'),
  keepAliveBinMs: setting(int(1), 60_000, 'width of one bin of the histogram keep-alive policy (the paper: one minute)'),
  keepAliveBins: setting(int(2, 100_000), 240, 'bins of the histogram keep-alive policy (the paper: 240, i.e. four hours of one-minute bins)'),
  sandboxMaxLifetimeMs: setting(int(1000), 2 * 60 * 60 * 1000, 'every sandbox is retired after this lifetime'),
  initTimeoutMs: setting(int(100), 10_000, 'maximum duration of a sandbox init phase'),
  hostMemoryBudgetMb: setting(
    int(128).optional(),
    undefined,
    'memory a worker host may give to sandboxes (by their MemorySize limits)',
    "the machine's memory less a reserve for the OS and Flint: max(1 GiB, 10 %)",
  ),
  hostMemoryOversubscription: setting(
    z.coerce.number().min(1).max(16),
    1,
    'sandbox limits may add up to the budget times this, while measured use stays out of the OOM guard (1 = never oversubscribe)',
  ),
  hostOomGuardPercent: setting(int(0, 90), 10, 'share of the budget kept free by measured use when a host is oversubscribed'),
  localWorker: setting(
    z.enum(['true', 'false']).transform((v) => v === 'true').or(z.boolean()),
    true,
    'whether `flint serve` runs a worker host in its own process (--no-local-worker: only hosts joined with `flint worker` run sandboxes)',
  ),
  hostLeaseMs: setting(int(1000), 4 * 60 * 60 * 1000, 'lease of a joined worker host: when it ends the host drains and leaves (Lambda: hours)'),
  scaleUpPerInterval: setting(int(1), 1000, 'new sandboxes one function may add per scale-up interval (Lambda: 1,000 per 10 s); faster cold starts get 429'),
  scaleUpIntervalMs: setting(int(1), 10_000, 'interval of the per-function scale-up rate (refilled continuously)'),
  scaleUpBurst: setting(int(1), 1000, 'most new sandboxes one function may add at once (unused rate does not accumulate past it)'),
  poolSizePerRuntime: setting(int(0, 256), 2, 'pre-started function-agnostic sandboxes kept per runtime when cold starts are rare'),
  poolMaxPerRuntime: setting(int(0, 256), 16, 'most pre-started sandboxes kept per runtime: the pool holds as many as cold starts took in the last 10 s, between --pool-size-per-runtime and this'),
  asyncRetryBaseDelayMs: setting(int(1), 60_000, 'base delay between async retries (Lambda: one minute, then two)'),
  asyncPollers: setting(int(1, 4096), 64, 'most async events delivered at once over all functions (pollers scale up to this with queue depth)'),
  asyncThrottleBaseDelayMs: setting(int(1), 1000, 'first wait before retrying a throttled async event or a platform error; doubles each time in a row'),
  asyncThrottleMaxDelayMs: setting(int(1), 5 * 60 * 1000, 'longest wait between retries of a throttled async event (Lambda: five minutes)'),
  shutdownGraceMs: setting(int(0), 10_000, 'on SIGTERM/SIGINT, how long in-flight invocations may finish before their sandboxes are stopped'),
  warmUpInvokes: setting(
    int(0, 100_000),
    1000,
    "invokes of a function of Flint's own run through the invoke path before the API listens, so that V8 has compiled the path before the first request (0: none; needs the local worker host)",
  ),
  asyncScanIntervalMs: setting(int(10), 1000, 'longest sleep between looks at the async queue (redrives by `flint dlq` show up within it)'),
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type FlintConfig = { readonly [K in SettingKey]: z.infer<(typeof SETTINGS)[K]['schema']> };

export function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export function envName(key: string): string {
  const named = (SETTINGS as Record<string, Setting>)[key]?.env;
  if (named !== undefined) return named;
  return `FLINT_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/** Whether `host` is a loopback address (only this machine can reach it). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/**
 * The authentication in force: `--auth` when given; none on a loopback address; on any other
 * address undefined (Flint must refuse to start: an open API on a network needs an explicit choice).
 */
export function effectiveAuth(config: Pick<FlintConfig, 'auth' | 'host'>): 'sigv4' | 'none' | undefined {
  return config.auth ?? (isLoopbackHost(config.host) ? 'none' : undefined);
}
