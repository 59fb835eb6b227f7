/**
 * The pollers' one scheduling decision, pure: given how many events each
 * function has ready and in flight, which functions get the free delivery
 * slots now. Fair share first (round-robin from after the last function served,
 * at most ceil(slots / busy functions) each), then whatever is left to anyone
 * with work, so one function's deep backlog never starves another and a lone
 * function may use every slot. Within a function, events go in arrival order
 * (the queue hands out the oldest ready event of the function picked).
 */
export interface FunctionLoad {
  readonly functionName: string;
  /** Events ready to deliver now. */
  readonly ready: number;
  /** Events of this function being delivered now. */
  readonly inFlight: number;
  /** Most events of this function that may be in flight now (the pacer's cap; 0 while it backs off). */
  readonly limit: number;
}

export interface ScheduleInput {
  readonly functions: readonly FunctionLoad[];
  /** Delivery slots in all (the number of pollers). */
  readonly maxInFlight: number;
  /** The function served last, to continue the round-robin after it. */
  readonly cursor: string | undefined;
}

export interface Schedule {
  /** One entry per event to take now, in the order to take them (a function may appear several times). */
  readonly picks: readonly string[];
  readonly cursor: string | undefined;
}

export function schedule(input: ScheduleInput): Schedule {
  const inFlight = input.functions.reduce((n, f) => n + f.inFlight, 0);
  let free = input.maxInFlight - inFlight;
  const busy = input.functions.filter((f) => f.ready > 0 || f.inFlight > 0).length;
  const candidates = rotate(
    input.functions.filter((f) => f.ready > 0).sort((a, b) => (a.functionName < b.functionName ? -1 : 1)),
    input.cursor,
  );
  if (free <= 0 || candidates.length === 0) return { picks: [], cursor: input.cursor };
  const share = Math.ceil(input.maxInFlight / Math.max(busy, 1));
  const taken = new Map<string, number>();
  const picks: string[] = [];
  for (const cap of [(f: FunctionLoad) => Math.min(f.limit, share), (f: FunctionLoad) => f.limit]) {
    let progressed = true;
    while (free > 0 && progressed) {
      progressed = false;
      for (const f of candidates) {
        if (free === 0) break;
        const t = taken.get(f.functionName) ?? 0;
        if (t >= f.ready || f.inFlight + t >= cap(f)) continue;
        taken.set(f.functionName, t + 1);
        picks.push(f.functionName);
        free--;
        progressed = true;
      }
    }
  }
  return { picks, cursor: picks.at(-1) ?? input.cursor };
}

/** The candidates in name order, starting with the first one after `cursor`. */
function rotate(sorted: readonly FunctionLoad[], cursor: string | undefined): FunctionLoad[] {
  if (cursor === undefined) return [...sorted];
  const i = sorted.findIndex((f) => f.functionName > cursor);
  return i <= 0 ? [...sorted] : [...sorted.slice(i), ...sorted.slice(0, i)];
}
