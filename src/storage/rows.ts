/**
 * Rows both engines return alike (the same columns, names and value types), and the records
 * they make: one mapping for the SQLite and the PostgreSQL adapters.
 */
import { ASYNC_COUNTERS, type AsyncCounter, type FunctionDepth, type QueueSnapshot } from '../model/index.ts';
import type { StoredCredential } from './ports.ts';
import type { AliasRecord, FunctionUrlConfigRecord, FunctionUrlCors, ProvisionedStatus, StoredEventInvokeConfig, StoredProvisionedConfig } from '../model/index.ts';

export interface AliasRow {
  function_name: string;
  name: string;
  function_version: string;
  description: string;
  additional_version: string | null;
  additional_weight: number | null;
  revision_id: string;
}

export function aliasFromRow(row: AliasRow): AliasRecord {
  return {
    functionName: row.function_name,
    name: row.name,
    functionVersion: row.function_version,
    description: row.description,
    additional: row.additional_version === null ? undefined : { version: row.additional_version, weight: row.additional_weight ?? 0 },
    revisionId: row.revision_id,
  };
}

export interface EventInvokeConfigRow {
  function_name: string;
  qualifier: string;
  maximum_retry_attempts: number | null;
  maximum_event_age_seconds: number | null;
  on_success: string | null;
  on_failure: string | null;
  last_modified_ms: number;
}

export function eventInvokeConfigFromRow(row: EventInvokeConfigRow): StoredEventInvokeConfig {
  return {
    functionName: row.function_name,
    qualifier: row.qualifier,
    settings: {
      maximumRetryAttempts: row.maximum_retry_attempts ?? undefined,
      maximumEventAgeInSeconds: row.maximum_event_age_seconds ?? undefined,
      onSuccess: row.on_success ?? undefined,
      onFailure: row.on_failure ?? undefined,
    },
    lastModifiedMs: row.last_modified_ms,
  };
}

export interface ProvisionedConfigRow {
  function_name: string;
  qualifier: string;
  requested: number;
  last_modified_ms: number;
  status: string;
  status_reason: string | null;
  available: number;
}

export function provisionedConfigFromRow(row: ProvisionedConfigRow): StoredProvisionedConfig {
  return {
    functionName: row.function_name,
    qualifier: row.qualifier,
    requested: row.requested,
    lastModifiedMs: row.last_modified_ms,
    state: { status: row.status as ProvisionedStatus, statusReason: row.status_reason ?? undefined, available: row.available },
  };
}

export interface FunctionUrlConfigRow {
  function_name: string;
  qualifier: string;
  url_id: string;
  auth_type: string;
  cors: string | null;
  invoke_mode: string;
  creation_ms: number | string;
  last_modified_ms: number | string;
}

export function functionUrlConfigFromRow(row: FunctionUrlConfigRow): FunctionUrlConfigRecord {
  return {
    functionName: row.function_name,
    qualifier: row.qualifier,
    urlId: row.url_id,
    authType: row.auth_type as FunctionUrlConfigRecord['authType'],
    cors: row.cors === null ? undefined : (JSON.parse(row.cors) as FunctionUrlCors),
    invokeMode: row.invoke_mode as FunctionUrlConfigRecord['invokeMode'],
    creationMs: Number(row.creation_ms),
    lastModifiedMs: Number(row.last_modified_ms),
  };
}

/** The columns of a function URL config, in `FUNCTION_URL_COLUMNS` order. */
export function functionUrlConfigParams(c: FunctionUrlConfigRecord): Array<string | number | null> {
  return [c.functionName, c.qualifier, c.urlId, c.authType, c.cors === undefined ? null : JSON.stringify(c.cors), c.invokeMode, c.creationMs, c.lastModifiedMs];
}

export const FUNCTION_URL_COLUMNS = 'function_name, qualifier, url_id, auth_type, cors, invoke_mode, creation_ms, last_modified_ms';

/** The queue's totals, per-function depths, dead-letter count and counter rows as one snapshot (counters absent from the rows are 0). */
export function queueSnapshotFromRows(
  totals: { depth: number; ready: number; inFlight: number; oldest: number | null },
  byFunction: readonly FunctionDepth[],
  deadLetters: number,
  counterRows: ReadonlyArray<{ name: AsyncCounter; value: number }>,
): QueueSnapshot {
  const counters = Object.fromEntries(ASYNC_COUNTERS.map((c) => [c, 0])) as Record<AsyncCounter, number>;
  for (const r of counterRows) if (r.name in counters) counters[r.name] = r.value;
  return {
    depth: totals.depth,
    ready: totals.ready,
    inFlight: totals.inFlight,
    oldestAcceptedMs: totals.oldest ?? undefined,
    byFunction: byFunction.map((f) => ({ ...f })),
    deadLetters,
    counters,
  };
}

export interface CredentialRow {
  access_key_id: string;
  account_id: string;
  name: string;
  arn: string;
  sealed_secret: Uint8Array;
  session_token_digest: string | null;
  /** PostgreSQL's BIGINT arrives as a string. */
  created_ms: number | string;
  expires_ms: number | string | null;
}

export const CREDENTIAL_COLUMNS = 'access_key_id, account_id, name, arn, sealed_secret, session_token_digest, created_ms, expires_ms';

export function credentialFromRow(r: CredentialRow): StoredCredential {
  return {
    accessKeyId: r.access_key_id,
    accountId: r.account_id,
    name: r.name,
    arn: r.arn,
    sealedSecret: Buffer.from(r.sealed_secret),
    sessionTokenDigest: r.session_token_digest ?? undefined,
    createdMs: Number(r.created_ms),
    expiresMs: r.expires_ms === null ? undefined : Number(r.expires_ms),
  };
}
