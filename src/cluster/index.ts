/**
 * Cluster: worker hosts in their own processes (`flint worker`) and the front ends that place
 * sandboxes on them. Front-end side: the cluster routes (registration, heartbeats, code), the
 * host directory (health rule over the host store, placement's candidates) and RemoteWorkerHost
 * (the host protocol over HTTP). Worker side: the host API and the agent that registers and
 * heartbeats. Front ends among themselves: who is alive (FrontEndDirectory), which one owns a
 * function (ownerOf: rendezvous hashing), and each one's share of the account's concurrency
 * (ConcurrencyShareKeeper). docs/cluster.md describes the protocol.
 */
export { HEARTBEAT_INTERVAL_MS, HEARTBEAT_TIMEOUT_MS, hostCondition, type HostCondition } from './host-health.ts';
export { newJoinToken, tokenDigest } from './join-token.ts';
export { registerClusterRoutes, type ClusterRouteDeps } from './cluster-routes.ts';
export { HostDirectory, type HostDirectoryOptions, type HostStatusRow, type PlacementRegistry } from './host-directory.ts';
export { RemoteWorkerHost, HostUnreachable } from './remote-worker-host.ts';
export { HostApi, type HostApiDeps } from './host-api.ts';
export { WorkerAgent, JoinRefused, type WorkerAgentOptions } from './worker-agent.ts';
export { HOST_PATHS, CLUSTER_PATHS, type LogShipment } from './wire.ts';
export { LogShipper, type LogShipperDeps } from './log-shipper.ts';
export { ownerOf } from './function-owner.ts';
export { FunctionOwners } from './function-owners.ts';
export { FrontEndDirectory, liveFrontEnds, type FrontEndDirectoryDeps } from './front-end-directory.ts';
export { ConcurrencyShareKeeper, shareWanted, type ShareKeeperDeps } from './concurrency-share-keeper.ts';
