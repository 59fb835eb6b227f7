/**
 * A worker host's log sink in a cluster: the host has no database, so its sandboxes' log lines are
 * posted (`POST /flint/cluster/logs`, with the host's key) to a front end, which stores them in the
 * cluster's log store before it answers. An append resolves only then, and a sandbox awaits its
 * append before it answers an invoke: an invocation's lines are stored before its result leaves the
 * host ("no log line lost" holds across the hop).
 *
 * Lines go to the front end that placed the sandbox (the one awaiting the invoke: the host API runs
 * each call of a sandbox `onBehalfOf` it), or, when it does not answer, to any live front end (the
 * agent's fail-over). Appends waiting while a post is in flight go together in the next one (up to
 * 1 MB a post), in order.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { LogShipment } from './wire.ts';

interface LogEvent {
  readonly timestampMs: number;
  readonly message: string;
}

export interface LogShipperDeps {
  /**
   * Posts one shipment to `frontEnd` first (undefined: the front end the host talks to), then to the
   * other live ones; resolves once a front end has stored it.
   */
  readonly post: (frontEnd: string | undefined, shipment: LogShipment) => Promise<void>;
  /** Bytes of messages per post (default 1 MB). */
  readonly maxPostBytes?: number;
}

interface Pending {
  readonly group: string;
  readonly stream: string;
  readonly events: readonly LogEvent[];
  readonly bytes: number;
  readonly settle: (err?: unknown) => void;
}

/** Appends for one front end: sent one post at a time, in order. */
interface Lane {
  readonly queue: Pending[];
  busy: boolean;
}

const MAX_POST_BYTES = 1024 * 1024;
/** What an event adds to a post besides its message (JSON punctuation and the timestamp). */
const EVENT_OVERHEAD = 24;

export class LogShipper {
  readonly #deps: LogShipperDeps;
  readonly #origin = new AsyncLocalStorage<string>();
  readonly #lanes = new Map<string | undefined, Lane>();

  constructor(deps: LogShipperDeps) {
    this.#deps = deps;
  }

  /** Runs `run` with the log lines appended during it shipped to `frontEnd` first. */
  onBehalfOf<T>(frontEnd: string, run: () => Promise<T>): Promise<T> {
    return this.#origin.run(frontEnd, run);
  }

  /** Resolves once a front end has stored the events; rejects when none could. */
  append(group: string, stream: string, events: readonly LogEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    const target = this.#origin.getStore();
    let lane = this.#lanes.get(target);
    if (lane === undefined) this.#lanes.set(target, (lane = { queue: [], busy: false }));
    const max = this.#deps.maxPostBytes ?? MAX_POST_BYTES;
    const parts: Array<Promise<void>> = [];
    let chunk: LogEvent[] = [];
    let bytes = 0;
    const push = (): void => {
      const chunkEvents = chunk;
      const chunkBytes = bytes;
      parts.push(new Promise<void>((resolve, reject) => lane.queue.push({ group, stream, events: chunkEvents, bytes: chunkBytes, settle: (err) => (err === undefined ? resolve() : reject(err)) })));
      chunk = [];
      bytes = 0;
    };
    for (const e of events) {
      const size = Buffer.byteLength(e.message) + EVENT_OVERHEAD;
      if (chunk.length > 0 && bytes + size > max) push();
      chunk.push(e);
      bytes += size;
    }
    push();
    if (!lane.busy) void this.#drain(target, lane);
    return Promise.all(parts).then(() => undefined);
  }

  async #drain(target: string | undefined, lane: Lane): Promise<void> {
    lane.busy = true;
    const max = this.#deps.maxPostBytes ?? MAX_POST_BYTES;
    while (lane.queue.length > 0) {
      const batch: Pending[] = [];
      let bytes = 0;
      while (lane.queue.length > 0 && (batch.length === 0 || bytes + lane.queue[0]!.bytes <= max)) {
        const next = lane.queue.shift()!;
        batch.push(next);
        bytes += next.bytes;
      }
      const shipment: LogShipment = { streams: batch.map((p) => ({ group: p.group, stream: p.stream, events: p.events.map((e) => [e.timestampMs, e.message] as const) })) };
      try {
        await this.#deps.post(target, shipment);
        for (const p of batch) p.settle();
      } catch (err) {
        for (const p of batch) p.settle(err ?? new Error('log shipment failed'));
      }
    }
    lane.busy = false;
    this.#lanes.delete(target);
  }
}
