/**
 * Paging of the per-function listings (versions, aliases, provisioned
 * concurrency configs): items in a stable order, at most `cap` per page whatever
 * MaxItems says, and an opaque NextMarker holding the sort key of the last item
 * returned, so deletions between pages never skip or repeat an item.
 */
import { errors } from '../shared/index.ts';
import { assertNoViolations, rangeViolations } from '../shared/index.ts';

export interface PageRequest {
  readonly marker?: string | undefined;
  readonly maxItems?: number | undefined;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextMarker: string | undefined;
}

export interface PageRules<T> {
  /** Sort key; `items` are sorted by it, ascending (plain string order). */
  readonly keyOf: (item: T) => string;
  /** Largest page, and the model's maximum for MaxItems. */
  readonly cap: number;
  readonly maxItemsLimit: number;
}

export function pageOf<T>(items: readonly T[], request: PageRequest, rules: PageRules<T>): Page<T> {
  assertNoViolations(rangeViolations('maxItems', request.maxItems, 1, rules.maxItemsLimit));
  const size = Math.min(request.maxItems ?? rules.cap, rules.cap);
  const after = request.marker === undefined || request.marker === '' ? undefined : decodeMarker(request.marker);
  const rest = after === undefined ? items : items.filter((item) => rules.keyOf(item) > after);
  const page = rest.slice(0, size);
  const last = page.at(-1);
  return { items: page, nextMarker: rest.length > size && last !== undefined ? encodeMarker(rules.keyOf(last)) : undefined };
}

function encodeMarker(key: string): string {
  return Buffer.from(JSON.stringify({ after: key }), 'utf8').toString('base64url');
}

function decodeMarker(marker: string): string {
  try {
    const value: unknown = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8'));
    const after = (value as { after?: unknown } | null)?.after;
    if (typeof after === 'string') return after;
  } catch {
    // fall through to the error below
  }
  throw errors.invalidParameter('Invalid Marker: pass the NextMarker of a previous response.');
}
