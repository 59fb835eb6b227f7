/** Renders an alias as Lambda's `AliasConfiguration` JSON (RoutingConfig only when it routes to a second version). */
import { functionArn, type Account } from '../shared/index.ts';
import type { AliasRecord } from '../model/index.ts';

export function renderAlias(alias: AliasRecord, account: Account): Record<string, unknown> {
  return {
    AliasArn: functionArn(account, alias.functionName, alias.name),
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    ...(alias.additional !== undefined ? { RoutingConfig: { AdditionalVersionWeights: { [alias.additional.version]: alias.additional.weight } } } : {}),
    RevisionId: alias.revisionId,
  };
}
