/**
 * Sandbox drivers: the isolation boundary of the worker host. `NamespaceSandboxDriver`
 * (bubblewrap + cgroups + seccomp + per-sandbox network namespaces) is the default on
 * Linux; `ProcessSandboxDriver` runs functions without isolation and says so.
 * `detectSandboxSupport` tells at start what this machine can enforce.
 */
export type {
  CellHooks, CellSpec, IsolationReport, RuntimeApiBinding, Sandbox, SandboxDriver, SandboxExit, SandboxLimits,
} from './sandbox-driver.ts';
export { NamespaceSandboxDriver, type NamespaceSandboxDriverOptions } from './namespace-sandbox-driver.ts';
export { ProcessSandboxDriver, PROCESS_ISOLATION } from './process-sandbox-driver.ts';
export { detectSandboxSupport, type SandboxSupport } from './detect-sandbox-support.ts';
export { sandboxInstanceName } from './instance-claim.ts';
export { chooseHostAccess, describeHostAccess, type HostAccess, type HostAccessChoice } from './host-access.ts';
export { HOST_ALIAS, SANDBOX_UID, SANDBOX_GID } from './sandbox-etc.ts';
