/**
 * One mapping's poller, as Lambda runs SQS pollers: it long-polls the queue, gathers a batch
 * (up to BatchSize, waiting up to MaximumBatchingWindowInSeconds once a first message is in),
 * deletes the messages the filters leave out, invokes the function synchronously through the one
 * invoke path, and then:
 *
 * - success: deletes the batch (with ReportBatchItemFailures, all but the items reported failed;
 *   an invalid report fails the whole batch);
 * - function error, or an invoke that failed on the way: deletes nothing; the messages come
 *   back when their visibility timeout runs out, and the queue's redrive policy applies;
 * - throttled: makes the messages visible again at once and backs off (a throttle loses nothing);
 * - the invoke could not run (a sandbox that did not start, the function gone): deletes nothing,
 *   runs fewer batches at once and pauses, as after a throttle.
 *
 * It runs as many batches at once as the backlog calls for (scaling.ts), up to the cap: one more
 * after a full batch was delivered, at most one more every `scaleUpEveryMs` (Lambda adds up to
 * 300 concurrent batches a minute), so that the pace follows what the function actually manages
 * rather than what the queue holds, and only while the machine's CPUs have room.
 */
import { randomUUID } from 'node:crypto';
import { Throttled, type EventSourceMappingRecord } from '../model/index.ts';
import type { Logger } from '../shared/index.ts';
import { readBatchResponse } from './batch-response.ts';
import { parsePattern, passesFilters, type Pattern } from './filter-pattern.ts';
import type { Invoker, QueueConsumer, ReceivedQueueMessage } from './ports.ts';
import { concurrencyCap, nextConcurrency, throttleBackoffMs } from './scaling.ts';
import { sqsEvent, sqsRecord, type SqsRecord } from './sqs-event.ts';

/** Lambda's limit on an invoke's payload; a batch stops growing before it could pass it. */
const MAX_BATCH_BYTES = 6 * 1024 * 1024;
/** The largest SQS message, plus what its record adds around the body. */
const MAX_RECORD_BYTES = 256 * 1024 + 4096;

export interface PollerOptions {
  /** Long-poll wait of each receive, seconds (SQS allows up to 20). */
  readonly waitTimeSeconds: number;
  /** Most batches in flight for one mapping when nothing lower applies. */
  readonly ceiling: number;
  readonly throttleBaseMs: number;
  readonly throttleMaxMs: number;
  /** Pause after a receive or invoke that failed for another reason (queue gone, platform error). */
  readonly errorBackoffMs: number;
  /** Least time between two steps up in batches at once. */
  readonly scaleUpEveryMs: number;
  /**
   * Beyond `freeConcurrency` batches at once (Lambda starts with five), steps up only while the
   * CPUs were at least this idle (one machine runs the poller and the sandboxes).
   */
  readonly minIdleShare: number;
  readonly freeConcurrency: number;
}

export interface PollerDeps {
  readonly queues: QueueConsumer;
  readonly invoker: Invoker;
  readonly logger: Logger;
  /** The function's reserved concurrency, if any: the poller never runs more batches at once. */
  readonly reservedConcurrency?: ((functionName: string) => Promise<number | undefined>) | undefined;
  /** How idle the machine's CPUs were lately (0..1): no step up while they are busier than `minIdleShare` allows. */
  readonly cpuIdleShare?: (() => number) | undefined;
  readonly options: PollerOptions;
}

export type DeliveryResult = 'succeeded' | 'partially-failed' | 'failed' | 'throttled' | 'unavailable' | 'filtered';

export class SqsPoller {
  readonly #deps: PollerDeps;
  #mapping: EventSourceMappingRecord;
  #patterns: Pattern[];
  #target = 1;
  #workers = 0;
  #reserved: number | undefined;
  #throttleStreak = 0;
  #lastScaleUpMs = 0;
  readonly #abort = new AbortController();
  readonly #running = new Set<Promise<void>>();
  /** Counters, for status and tests. */
  readonly stats = { batches: 0, deleted: 0, filtered: 0, throttled: 0, failed: 0, unavailable: 0, maxWorkers: 0 };

  constructor(mapping: EventSourceMappingRecord, deps: PollerDeps) {
    this.#deps = deps;
    this.#mapping = mapping;
    this.#patterns = patternsOf(mapping);
  }

  get mapping(): EventSourceMappingRecord {
    return this.#mapping;
  }

  /** Batches being gathered or delivered now. */
  get workers(): number {
    return this.#workers;
  }

  start(): void {
    void this.#refreshReserved();
    this.#spawn();
  }

  /** Takes a changed mapping's settings (from the next batch on). */
  update(mapping: EventSourceMappingRecord): void {
    this.#mapping = mapping;
    this.#patterns = patternsOf(mapping);
    void this.#refreshReserved();
  }

  /** Stops polling; batches in delivery finish (and are deleted or left as their outcome says). */
  async stop(): Promise<void> {
    this.#abort.abort();
    while (this.#running.size > 0) await Promise.all([...this.#running]);
  }

  #cap(): number {
    return concurrencyCap(this.#deps.options.ceiling, this.#mapping.maximumConcurrency, this.#reserved);
  }

  async #refreshReserved(): Promise<void> {
    try {
      this.#reserved = await this.#deps.reservedConcurrency?.(this.#mapping.functionName);
    } catch (err) {
      this.#deps.logger.warn({ err, uuid: this.#mapping.uuid }, 'could not read the function\'s reserved concurrency');
    }
  }

  #scale(event: 'full-batch' | 'partial-batch' | 'empty' | 'throttled'): void {
    if (event === 'full-batch') {
      const now = Date.now();
      if (now - this.#lastScaleUpMs < this.#deps.options.scaleUpEveryMs) return;
      const o = this.#deps.options;
      if (this.#target >= o.freeConcurrency && (this.#deps.cpuIdleShare?.() ?? 1) < o.minIdleShare) return;
      this.#lastScaleUpMs = now;
    }
    this.#target = nextConcurrency({ current: this.#target, event, cap: this.#cap() });
    this.#spawn();
  }

  #spawn(): void {
    while (this.#workers < this.#target && !this.#abort.signal.aborted) {
      this.#workers += 1;
      this.stats.maxWorkers = Math.max(this.stats.maxWorkers, this.#workers);
      const run: Promise<void> = this.#loop()
        .catch((err: unknown) => this.#deps.logger.error({ err, uuid: this.#mapping.uuid }, 'event source poller failed'))
        .finally(() => {
          this.#workers -= 1;
          this.#running.delete(run);
        });
      this.#running.add(run);
    }
  }

  async #loop(): Promise<void> {
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      if (this.#workers > this.#target) return;
      let batch: { messages: ReceivedQueueMessage[]; full: boolean };
      try {
        batch = await this.#gather(signal);
      } catch (err) {
        this.#deps.logger.warn({ err, uuid: this.#mapping.uuid, queue: this.#mapping.eventSourceArn }, 'receiving from the event source failed; polling again after a pause');
        await sleep(this.#deps.options.errorBackoffMs, signal);
        continue;
      }
      if (batch.messages.length === 0) {
        this.#scale('empty');
        continue;
      }
      const result = await this.deliver(batch.messages);
      if (result === 'throttled' || result === 'unavailable') {
        this.#throttleStreak += 1;
        void this.#refreshReserved();
        this.#scale('throttled');
        const o = this.#deps.options;
        await sleep(result === 'throttled' ? throttleBackoffMs(this.#throttleStreak, o.throttleBaseMs, o.throttleMaxMs) : o.errorBackoffMs, signal);
      } else {
        this.#throttleStreak = 0;
        if (result === 'failed') void this.#refreshReserved();
        // a full batch the function took (or filtered) means a backlog the function keeps up with: one more batch at once
        else this.#scale(batch.full ? 'full-batch' : 'partial-batch');
      }
    }
  }

  /** One batch: up to BatchSize messages, within the batching window once the first is in. */
  async #gather(signal: AbortSignal): Promise<{ messages: ReceivedQueueMessage[]; full: boolean }> {
    const m = this.#mapping;
    const messages: ReceivedQueueMessage[] = [];
    let bytes = 0;
    let deadline = Infinity;
    let full = false;
    for (;;) {
      const room = Math.min(10, m.batchSize - messages.length, Math.floor((MAX_BATCH_BYTES - bytes) / MAX_RECORD_BYTES));
      if (room <= 0) return { messages, full: true };
      const remainingMs = deadline - Date.now();
      if (messages.length > 0 && (m.maximumBatchingWindowInSeconds === 0 || remainingMs <= 0)) return { messages, full };
      const wait = messages.length === 0 ? this.#deps.options.waitTimeSeconds : Math.min(20, Math.ceil(remainingMs / 1000));
      const got = await this.#deps.queues.receive(m.eventSourceArn, { maxMessages: room, waitTimeSeconds: wait, signal });
      full = got.length === room;
      if (messages.length === 0 && got.length > 0) deadline = Date.now() + m.maximumBatchingWindowInSeconds * 1000;
      for (const g of got) bytes += Buffer.byteLength(g.body) + 1024;
      messages.push(...got);
      if (messages.length === 0) return { messages, full: false };
      if (signal.aborted) return { messages, full };
    }
  }

  /** Filters, invokes and settles one batch of received messages. */
  async deliver(messages: readonly ReceivedQueueMessage[]): Promise<DeliveryResult> {
    const m = this.#mapping;
    const queue = m.eventSourceArn;
    const records = messages.map((msg) => sqsRecord(msg, queue));
    const keep: SqsRecord[] = [];
    const dropped: SqsRecord[] = [];
    for (const r of records) (passesFilters(this.#patterns, r) ? keep : dropped).push(r);
    if (dropped.length > 0) {
      // Lambda deletes the messages its filters leave out.
      await this.#deps.queues.deleteMessages(queue, dropped.map((r) => r.receiptHandle));
      this.stats.filtered += dropped.length;
    }
    if (keep.length === 0) return 'filtered';
    this.stats.batches += 1;
    let outcome;
    try {
      const result = await this.#deps.invoker.invoke({
        entry: 'EventSourceMapping',
        requestId: randomUUID(),
        functionName: m.functionArn,
        qualifier: undefined,
        invocationType: 'RequestResponse',
        payload: sqsEvent(keep),
      });
      if (result.kind !== 'completed') throw new Error(`an event source invoke answered ${result.kind}`);
      outcome = result.outcome;
    } catch (err) {
      if (err instanceof Throttled) {
        this.stats.throttled += keep.length;
        await Promise.all(keep.map((r) => this.#deps.queues.changeVisibility(queue, r.receiptHandle, 0).catch(() => undefined)));
        return 'throttled';
      }
      this.stats.unavailable += keep.length;
      this.#deps.logger.warn({ err, uuid: m.uuid, function: m.functionArn }, 'event source batch not delivered; its messages return after their visibility timeout');
      return 'unavailable';
    }
    if (outcome.functionError !== undefined) {
      this.stats.failed += keep.length;
      return 'failed';
    }
    let succeeded = keep;
    if (m.functionResponseTypes.includes('ReportBatchItemFailures')) {
      const verdict = readBatchResponse(outcome.payload, new Set(keep.map((r) => r.messageId)));
      if (verdict.kind === 'all-failed') {
        this.#deps.logger.info({ uuid: m.uuid, why: verdict.why }, 'the batch response is invalid: the whole batch failed');
        this.stats.failed += keep.length;
        return 'failed';
      }
      if (verdict.kind === 'partial') succeeded = keep.filter((r) => !verdict.failed.has(r.messageId));
    }
    await this.#deps.queues.deleteMessages(queue, succeeded.map((r) => r.receiptHandle));
    this.stats.deleted += succeeded.length;
    this.stats.failed += keep.length - succeeded.length;
    return succeeded.length === keep.length ? 'succeeded' : 'partially-failed';
  }
}

function patternsOf(mapping: EventSourceMappingRecord): Pattern[] {
  return (mapping.filters ?? []).map((f) => parsePattern(f.Pattern));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
