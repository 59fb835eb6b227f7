/** RevisionId preconditions shared by function, version and alias writes, with Lambda's text. */
import type { ApiError } from '../shared/index.ts';
import { errors } from '../shared/index.ts';

export const REVISION_MISMATCH_MESSAGE =
  'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id';

/** Throws PreconditionFailedException when a RevisionId was given and differs from the current one. */
export function checkRevision(current: { readonly revisionId: string }, given: string | undefined): void {
  if (given !== undefined && given !== current.revisionId) throw revisionMismatch();
}

export function revisionMismatch(): ApiError {
  return errors.precondition(REVISION_MISMATCH_MESSAGE);
}
