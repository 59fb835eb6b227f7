/**
 * The storage contract: one suite of behaviour every adapter of the storage ports (../ports.ts)
 * must show, registered as `node:test` tests. Each test opens fresh, empty storage; tests of
 * concurrency open a second Storage on the same database (another front end's view of it).
 *
 *   storageContract('PostgreSQL', { open, openAnother, feedAcrossStorages: true });
 */
import { describe } from 'node:test';
import { clusterContract } from './contract-cluster.ts';
import { eventSourceMappingContract } from './contract-event-source-mappings.ts';
import { credentialContract } from './contract-credentials.ts';
import { functionContract } from './contract-functions.ts';
import { functionUrlContract } from './contract-function-urls.ts';
import { layerContract } from './contract-layers.ts';
import { queueContract } from './contract-queue.ts';
import { sqsContract } from './contract-sqs.ts';
import type { StorageContractTarget } from './contract-support.ts';

export type { StorageContractTarget } from './contract-support.ts';

export function storageContract(name: string, target: StorageContractTarget): void {
  describe(`storage contract: ${name}`, () => {
    functionContract(target);
    functionUrlContract(target);
    eventSourceMappingContract(target);
    layerContract(target);
    queueContract(target);
    sqsContract(target);
    clusterContract(target);
    credentialContract(target);
  });
}
