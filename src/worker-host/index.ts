/**
 * Worker host: runs sandboxes on one machine. Prepares code (L1 cache), starts
 * sandboxes through a driver, serves them the Runtime API, enforces limits,
 * captures logs and reports sandbox state.
 */
export type { LogSink, LogEvent } from './log-capture.ts';
export { limitsFor, MB_PER_VCPU } from './sandbox-limits.ts';
export { SandboxStateMachine, type SandboxState } from './sandbox-state.ts';
export { logTail, reportLine, startLine, endLine } from './invocation-log.ts';
export { startWorkerHost, type WorkerHostRuntime, type WorkerHostDeps } from './start-worker-host.ts';
export { WorkerHost, type RuntimeCatalog } from './worker-host.ts';
export type { HostAccessChoice, IsolationReport } from './sandbox/index.ts';
export { describeHostAccess } from './sandbox/index.ts';
export { VerifiedPackageCache, PackageDigestMismatch, type PackageSource } from './verified-package-cache.ts';
