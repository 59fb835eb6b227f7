/** The async path's numbers for status pages and metrics (pure: built from a queue snapshot). */
import type { AsyncCounter, QueueSnapshot } from '../model/index.ts';

export interface AsyncFunctionStats {
  readonly functionName: string;
  readonly depth: number;
  readonly oldestEventAgeMs: number;
  readonly inFlight: number;
}

export interface AsyncStats {
  /** Events accepted and not yet finished: waiting, delayed for a retry, or being delivered. */
  readonly queueDepth: number;
  readonly ready: number;
  readonly delayed: number;
  readonly inFlight: number;
  /** Age of the oldest event in the queue (0 when empty). */
  readonly oldestEventAgeMs: number;
  /** Letters now in the dead-letter store. */
  readonly deadLetters: number;
  readonly pollers: { readonly max: number; readonly busy: number };
  readonly functions: readonly AsyncFunctionStats[];
  /** Since the data directory was created: accepted, succeeded, retried, throttled, droppedByAge, deadLettered... */
  readonly counters: Readonly<Record<AsyncCounter, number>>;
}

export function asyncStats(s: QueueSnapshot, inFlightByFunction: ReadonlyMap<string, number>, maxPollers: number, nowMs: number): AsyncStats {
  let busy = 0;
  for (const n of inFlightByFunction.values()) busy += n;
  return {
    queueDepth: s.depth,
    ready: s.ready,
    delayed: Math.max(0, s.depth - s.ready - s.inFlight),
    inFlight: s.inFlight,
    oldestEventAgeMs: s.oldestAcceptedMs === undefined ? 0 : Math.max(0, nowMs - s.oldestAcceptedMs),
    deadLetters: s.deadLetters,
    pollers: { max: maxPollers, busy },
    functions: s.byFunction.map((f) => ({
      functionName: f.functionName,
      depth: f.depth,
      oldestEventAgeMs: Math.max(0, nowMs - f.oldestAcceptedMs),
      inFlight: inFlightByFunction.get(f.functionName) ?? 0,
    })),
    counters: s.counters,
  };
}
