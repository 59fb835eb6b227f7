/**
 * Which front end owns a function: its invokes run there, so that one worker manager
 * holds the function's warm sandboxes and counts its concurrency (as Lambda assigns
 * each function to a worker manager). Rendezvous (highest random weight) hashing over
 * the live front ends: every front end computes the same owner from the same list, and
 * when one joins or leaves only the functions it gains or held move.
 */
import { createHash } from 'node:crypto';

/** The id of the owner of `functionName` among `frontEndIds`; undefined when there are none. */
export function ownerOf(functionName: string, frontEndIds: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestWeight = -1n;
  for (const id of frontEndIds) {
    const weight = createHash('sha256').update(id).update('\0').update(functionName).digest().readBigUInt64BE(0);
    if (weight > bestWeight || (weight === bestWeight && best !== undefined && id < best)) {
      best = id;
      bestWeight = weight;
    }
  }
  return best;
}
