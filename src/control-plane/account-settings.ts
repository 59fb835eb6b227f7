/**
 * GetAccountSettings: the account's quotas (from configuration and Lambda's
 * fixed package limits) and its current usage.
 */
import type { CodeStore } from '../code-store/index.ts';
import { MAX_UNZIPPED_BYTES } from '../code-store/index.ts';
import type { FunctionStore } from '../storage/index.ts';
import { MAX_ZIP_BYTES } from './request-checks.ts';

export interface AccountQuotas {
  /** Account-wide concurrent executions (config `accountConcurrency`). */
  readonly concurrentExecutions: number;
  /** Code storage quota in bytes (config `codeStorageLimitBytes`). */
  readonly totalCodeSizeBytes: number;
}

export interface AccountSettings {
  readonly limit: {
    readonly totalCodeSize: number;
    readonly codeSizeUnzipped: number;
    readonly codeSizeZipped: number;
    readonly concurrentExecutions: number;
    readonly unreservedConcurrentExecutions: number;
  };
  readonly usage: { readonly totalCodeSize: number; readonly functionCount: number };
}

/** `unreservedConcurrency` is the counting service's figure (the account limit less every function's share). */
export async function accountSettings(functions: FunctionStore, codeStore: CodeStore, quotas: AccountQuotas, unreservedConcurrency: number): Promise<AccountSettings> {
  const usage = await functions.usage();
  return {
    limit: {
      totalCodeSize: quotas.totalCodeSizeBytes,
      codeSizeUnzipped: MAX_UNZIPPED_BYTES,
      codeSizeZipped: MAX_ZIP_BYTES,
      concurrentExecutions: quotas.concurrentExecutions,
      unreservedConcurrentExecutions: unreservedConcurrency,
    },
    // The store dedupes identical packages, so this is the storage actually used.
    usage: { totalCodeSize: await codeStore.totalSize(), functionCount: usage.functionCount },
  };
}
