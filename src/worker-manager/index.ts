/**
 * Worker manager: tracks every sandbox and its state; gives an invoke a warm idle
 * sandbox of the same version (provisioned first), else a cold start through
 * placement within the function's scale-up rate; reclaims idle ones; keeps the
 * provisioned sandboxes the control plane asks for (ProvisionedReconciler).
 */
export { WorkerManager, ProvisioningError, versionKey, type Claim, type WorkerManagerOptions } from './worker-manager.ts';
export type { SandboxCredentialIssuer, IssuedCredentials } from './sandbox-credentials.ts';
export { ProvisionedReconciler, type ProvisionedSource, type ProvisionedSandboxes, type ReconcilerDeps } from './provisioned-reconciler.ts';
export { chooseWarmSandbox, sandboxesToReclaim, type SandboxView } from './choose-sandbox.ts';
export { decideScaleUp, refund, type ScaleUpRate, type ScaleUpBucket, type ScaleUpDecision } from './scale-up-decision.ts';
export { planProvisioned, statusUpdates, type AllocationView, type ProvisionedPlan, type StatusUpdate } from './plan-provisioned.ts';
export {
  fixedKeepAlive, histogramKeepAlive, ArrivalTracker, IdleHistogram, binCv,
  type KeepAlivePolicy, type KeepAliveDecision, type HistogramOptions,
} from './keep-alive-policy.ts';
export type { PlacementPort, Placement, EvictionCandidate } from './placement-port.ts';
