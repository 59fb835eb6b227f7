/**
 * Worker manager: tracks every sandbox and its state; gives an invoke a warm idle
 * sandbox of the same version, else a cold start through placement; reclaims idle ones.
 */
export { WorkerManager, versionKey, type Claim, type PlacementPort, type WorkerManagerOptions } from './worker-manager.ts';
export { chooseWarmSandbox, sandboxesToReclaim, type IdleSandboxView } from './choose-sandbox.ts';
export type { HostSandbox, WorkerHostPort, InitializationType } from './host-port.ts';
