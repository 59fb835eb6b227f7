/**
 * Placement service: chooses the worker host for a new sandbox (spread a function,
 * pack by memory) and, when every host is full, which idle sandboxes to evict.
 */
export { PlacementService, type PlacedHost } from './placement-service.ts';
export { chooseHost, type HostView } from './choose-host.ts';
export { planEviction, type EvictableSandbox, type EvictionPlan } from './plan-eviction.ts';
