/**
 * ListFunctions paging: a stable order (function name, then version), pages of
 * at most 50 (Lambda's cap whatever MaxItems says), and an opaque NextMarker
 * that encodes the last item returned, so deletions between pages never skip
 * or repeat a function.
 */
import type { FunctionVersionConfig } from '../model/index.ts';
import { errors } from '../shared/index.ts';
import type { ListFunctionsQuery } from './function-commands.ts';
import type { ListCursor } from '../model/index.ts';
import type { FunctionStore } from '../storage/index.ts';
import type { Violation } from '../shared/index.ts';
import { assertNoViolations, constraint, enumViolations, rangeViolations } from '../shared/index.ts';

export const MAX_PAGE_SIZE = 50;
export const MASTER_REGION_PATTERN = 'ALL|[a-z]{2}(-gov)?-[a-z]+-\\d{1}';
const MASTER_REGION_RE = new RegExp(`^(?:${MASTER_REGION_PATTERN})$`);

export interface FunctionPage {
  readonly configs: readonly FunctionVersionConfig[];
  readonly nextMarker: string | undefined;
  /** Every version was listed (`FunctionVersion=ALL`), so `$LATEST` rows carry a qualified ARN. */
  readonly allVersions: boolean;
}

export async function listFunctions(functions: FunctionStore, query: ListFunctionsQuery): Promise<FunctionPage> {
  assertNoViolations(listFunctionsViolations(query));
  const allVersions = query.functionVersion === 'ALL';
  const pageSize = Math.min(query.maxItems ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
  const after = query.marker === undefined || query.marker === '' ? undefined : decodeMarker(query.marker);
  const rows = await functions.list({ after, limit: pageSize + 1, allVersions });
  const configs = rows.slice(0, pageSize);
  const last = configs.at(-1);
  const nextMarker = rows.length > pageSize && last ? encodeMarker({ name: last.functionName, version: last.version }) : undefined;
  return { configs, nextMarker, allVersions };
}

/** ListFunctionsRequest's model constraints, in the order of its members. */
export function listFunctionsViolations(query: ListFunctionsQuery): Violation[] {
  const { masterRegion } = query;
  return [
    ...(masterRegion !== undefined && !MASTER_REGION_RE.test(masterRegion)
      ? [{ value: masterRegion, member: 'masterRegion', constraint: constraint.pattern(MASTER_REGION_PATTERN) }]
      : []),
    ...enumViolations('functionVersion', query.functionVersion, ['ALL']),
    ...rangeViolations('maxItems', query.maxItems, 1, 10000),
  ];
}

export function encodeMarker(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify([cursor.name, cursor.version]), 'utf8').toString('base64url');
}

export function decodeMarker(marker: string): ListCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) {
      return { name: value[0] as string, version: value[1] as string };
    }
  } catch {
    // fall through to the error below
  }
  throw errors.invalidParameter('Invalid Marker: pass the NextMarker of a previous ListFunctions response.');
}
