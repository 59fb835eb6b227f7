/**
 * Cluster membership of front ends: who is alive (FrontEndDirectory), which front end owns a
 * function (ownerOf: rendezvous hashing), and each front end's share of the account's
 * concurrency (ConcurrencyShareKeeper). Everything durable goes through the storage ports.
 */
export { ownerOf } from './function-owner.ts';
export { FrontEndDirectory, liveFrontEnds, type FrontEndDirectoryDeps } from './front-end-directory.ts';
export { ConcurrencyShareKeeper, shareWanted, type ShareKeeperDeps } from './concurrency-share-keeper.ts';
