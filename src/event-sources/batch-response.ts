/**
 * A function's answer to a batch under `ReportBatchItemFailures`, read as Lambda reads it:
 *
 * - complete success: an empty or null `batchItemFailures`, an empty or null response;
 * - complete failure: a response that is not JSON, an item with an empty or null
 *   `itemIdentifier`, an item without that key, an identifier not in the batch;
 * - otherwise: the messages named failed, the others succeeded.
 */

export type BatchVerdict = { readonly kind: 'all-succeeded' } | { readonly kind: 'all-failed'; readonly why: string } | { readonly kind: 'partial'; readonly failed: ReadonlySet<string> };

export function readBatchResponse(payload: Buffer, batchIds: ReadonlySet<string>): BatchVerdict {
  const text = payload.toString('utf8').trim();
  if (text === '' || text === 'null') return { kind: 'all-succeeded' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'all-failed', why: 'the response is not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { kind: 'all-failed', why: 'the response is not an object' };
  const failures = (parsed as Record<string, unknown>).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'all-succeeded' };
  if (!Array.isArray(failures)) return { kind: 'all-failed', why: 'batchItemFailures is not a list' };
  if (failures.length === 0) return { kind: 'all-succeeded' };
  const failed = new Set<string>();
  for (const item of failures) {
    const id: unknown = item !== null && typeof item === 'object' ? (item as Record<string, unknown>).itemIdentifier : undefined;
    if (typeof id !== 'string' || id === '') return { kind: 'all-failed', why: 'an item has no itemIdentifier' };
    if (!batchIds.has(id)) return { kind: 'all-failed', why: `itemIdentifier ${id} is not in the batch` };
    failed.add(id);
  }
  return { kind: 'partial', failed };
}
