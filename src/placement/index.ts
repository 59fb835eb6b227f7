/**
 * Placement service: chooses the worker host for a new sandbox among the healthy hosts
 * of a directory (spread a function, best fit by memory, optional oversubscription with
 * an OOM guard) and, when every host is full, which idle sandboxes to evict.
 */
export { PlacementService, type PlacementServiceOptions } from './placement-service.ts';
export { StaticHostDirectory, type HostDirectory, type PlacedHost } from './host-directory.ts';
export { chooseHost, isCandidate, roomMb, NO_OVERSUBSCRIPTION, type HostView, type PlacementPolicy } from './choose-host.ts';
export { isHealthy, DEFAULT_HEARTBEAT, type HeartbeatRule } from './host-health.ts';
export { planEviction, type EvictableSandbox, type EvictionPlan } from './plan-eviction.ts';
