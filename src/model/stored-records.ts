/**
 * Records as the stores keep them (ports in storage/ports.ts): a function's own row, an
 * alias, a provisioned concurrency config, an event-invoke config, and what listings and
 * account settings read back.
 */
import type { EventInvokeSettings } from './async-event.ts';

export interface FunctionRecord {
  readonly name: string;
  readonly createdMs: number;
  readonly tags: Readonly<Record<string, string>>;
  readonly reservedConcurrency: number | undefined;
}

/** Position after which a listing continues: a function name and, for all-versions listings, a version. */
export interface ListCursor {
  readonly name: string;
  readonly version: string;
}

export interface AccountUsage {
  readonly functionCount: number;
  /** Sum of the package sizes of every version (Lambda counts each version). */
  readonly totalCodeSize: number;
  /** Sum of reserved concurrency over all functions. */
  readonly reservedConcurrency: number;
}

/** The newest published version and the digest of the `$LATEST` it was taken from. */
export interface PublishedRef {
  readonly version: string;
  readonly sourceDigest: string | null;
}

export interface AliasRecord {
  readonly functionName: string;
  readonly name: string;
  /** The primary version: `$LATEST` or a published version number. */
  readonly functionVersion: string;
  readonly description: string;
  /** `RoutingConfig.AdditionalVersionWeights`: at most one other version and its weight. */
  readonly additional: { readonly version: string; readonly weight: number } | undefined;
  readonly revisionId: string;
}

/** What was requested, per function and qualifier (a version number or an alias name), and when. */
export interface ProvisionedConfigRecord {
  readonly functionName: string;
  readonly qualifier: string;
  readonly requested: number;
  readonly lastModifiedMs: number;
}

export type ProvisionedStatus = 'IN_PROGRESS' | 'READY' | 'FAILED';

/** How far a provisioned concurrency config's allocation got (shared by every front end; IN_PROGRESS again whenever the config is put). */
export interface ProvisionedState {
  readonly status: ProvisionedStatus;
  readonly statusReason: string | undefined;
  /** Sandboxes initialised and ready (0 until READY). */
  readonly available: number;
}

/** A provisioned concurrency config as stored: what was requested, and its allocation state. */
export interface StoredProvisionedConfig extends ProvisionedConfigRecord {
  readonly state: ProvisionedState;
}

/** One function qualifier's asynchronous invocation settings as stored. */
export interface StoredEventInvokeConfig {
  readonly functionName: string;
  /** `$LATEST`, a version number or an alias name. */
  readonly qualifier: string;
  readonly settings: EventInvokeSettings;
  readonly lastModifiedMs: number;
}

/**
 * One statement of a function's resource-based policy, in the shape Lambda renders it
 * (GetPolicy's `Policy`, AddPermission's `Statement`), member order included.
 */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  /** `*`, a service (`{"Service": "s3.amazonaws.com"}`) or an account or IAM ARN (`{"AWS": "arn:aws:iam::123456789012:root"}`). */
  readonly Principal: '*' | { readonly Service: string } | { readonly AWS: string };
  readonly Action: string;
  /** The function ARN, qualified when the policy is a version's or an alias's. */
  readonly Resource: string;
  /** Operator (`StringEquals`, `ArnLike`, `Bool`) to condition key to value. */
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** The resource-based policy of a function (qualifier `$LATEST`: the unqualified function), a version or an alias. */
export interface StoredPolicy {
  readonly functionName: string;
  readonly qualifier: string;
  /** In the order they were added; never empty (a policy without statements is deleted). */
  readonly statements: readonly PolicyStatement[];
}
