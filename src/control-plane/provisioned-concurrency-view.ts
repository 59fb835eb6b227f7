/** Renders provisioned concurrency configs as Lambda's Get/Put responses and list items. */
import { functionArn, lambdaTimestamp, type Account } from '../shared/index.ts';
import type { ProvisionedState } from './provisioned-concurrency-registry.ts';
import type { ProvisionedConfigRecord } from '../model/index.ts';

export function renderProvisionedConfig(config: ProvisionedConfigRecord, state: ProvisionedState): Record<string, unknown> {
  return {
    RequestedProvisionedConcurrentExecutions: config.requested,
    AvailableProvisionedConcurrentExecutions: state.available,
    AllocatedProvisionedConcurrentExecutions: state.available,
    Status: state.status,
    ...(state.statusReason !== undefined ? { StatusReason: state.statusReason } : {}),
    LastModified: lambdaTimestamp(config.lastModifiedMs),
  };
}

/** A ListProvisionedConcurrencyConfigs item: the config under its qualified FunctionArn. */
export function renderProvisionedListItem(config: ProvisionedConfigRecord, state: ProvisionedState, account: Account): Record<string, unknown> {
  return { FunctionArn: functionArn(account, config.functionName, config.qualifier), ...renderProvisionedConfig(config, state) };
}
