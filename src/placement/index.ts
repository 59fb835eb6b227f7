/** Placement service: chooses the worker host for a new sandbox (spread a function, pack by memory). */
export { PlacementService, type PlacedHost } from './placement-service.ts';
export { chooseHost, type HostView } from './choose-host.ts';
