/**
 * Typed commands of the alias operations. `functionName` is the caller's
 * spelling (name, partial or full ARN); `weights` is
 * `RoutingConfig.AdditionalVersionWeights` as given (undefined: not given).
 */
export interface CreateAliasCommand {
  readonly functionName: string;
  readonly name: string | undefined;
  readonly functionVersion: string | undefined;
  readonly description?: string | undefined;
  readonly weights?: Readonly<Record<string, number>> | undefined;
}

export interface UpdateAliasCommand {
  readonly functionName: string;
  readonly name: string;
  readonly functionVersion?: string | undefined;
  readonly description?: string | undefined;
  readonly weights?: Readonly<Record<string, number>> | undefined;
  readonly revisionId?: string | undefined;
}

export interface ListAliasesQuery {
  readonly functionName: string;
  /** Only aliases whose primary version is this one. */
  readonly functionVersion?: string | undefined;
  readonly marker?: string | undefined;
  readonly maxItems?: number | undefined;
}
