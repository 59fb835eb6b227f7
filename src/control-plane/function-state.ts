/**
 * The lifecycle of one function version as Lambda shows it (State and
 * LastUpdateStatus), as an explicit state machine:
 *
 *   creating --settle--> ready --update--> updating --settle--> ready
 *      \--update--> creating (an update while still Pending stays Pending)
 *
 * `creating` is State Pending; `updating` is State Active with LastUpdateStatus
 * InProgress; `ready` is Active / Successful. Settling also gives the version a
 * new RevisionId, as Lambda does. Clients (SDK waiters `function_active_v2`,
 * `function_updated_v2`) poll GetFunction for these fields.
 */
import type { FunctionState, FunctionVersionConfig, LastUpdateStatus } from '../model/index.ts';

export type FunctionLifecycle = 'creating' | 'updating' | 'ready';

export interface StatusFields {
  readonly state: FunctionState;
  readonly lastUpdateStatus: LastUpdateStatus;
}

export const STATUS_OF: Readonly<Record<FunctionLifecycle, StatusFields>> = {
  creating: { state: 'Pending', lastUpdateStatus: 'InProgress' },
  updating: { state: 'Active', lastUpdateStatus: 'InProgress' },
  ready: { state: 'Active', lastUpdateStatus: 'Successful' },
};

/** Lambda's reason texts for the transient states. */
export const CREATING_REASON = 'The function is being created.';
export const CREATING_REASON_CODE = 'Creating';

export function lifecycleOf(c: StatusFields): FunctionLifecycle {
  if (c.state === 'Pending') return 'creating';
  return c.lastUpdateStatus === 'InProgress' ? 'updating' : 'ready';
}

/** A write to a version begins an update; a version still being created stays `creating`. */
export function beginUpdate(c: StatusFields): StatusFields {
  return lifecycleOf(c) === 'creating' ? STATUS_OF.creating : STATUS_OF.updating;
}

/** The settled status, or undefined when there is nothing to settle (settling twice is a no-op, never an error). */
export function settledStatus(c: StatusFields): StatusFields | undefined {
  return lifecycleOf(c) === 'ready' ? undefined : STATUS_OF.ready;
}

/** Applies a settle transition to a stored config (new RevisionId), or returns it unchanged. */
export function settle(c: FunctionVersionConfig, revisionId: string): FunctionVersionConfig {
  const next = settledStatus(c);
  return next === undefined ? c : { ...c, ...next, revisionId };
}
