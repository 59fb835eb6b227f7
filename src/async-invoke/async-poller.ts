import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { InvocationOutcome } from '../model/index.ts';
import type { Account, Clock, Logger } from '../shared/index.ts';
import { DEFAULT_MAXIMUM_RETRY_ATTEMPTS, type AttemptResponse, type EventInvokeSettings, type LeasedEvent } from '../model/index.ts';
import { attemptLine } from './attempt-line.ts';
import { moveEvent, type EventState } from './event-lifecycle.ts';
import { classifyFailure } from './failed-attempt.ts';
import type { Settlement } from '../model/index.ts';
import type { EventQueue } from '../storage/index.ts';
import { FunctionPacer, type PaceParams } from './function-pacer.ts';
import type { AttemptLog, DestinationQueues, Invoker } from './ports.ts';
import { queueMessagesFor, type MessageRole, type OutgoingMessage } from './queue-messages.ts';
import { decideAfterAttempt, isTooOld, type AttemptResult, type RetryDecision, type RetryDelays } from './retry-policy.ts';
import { schedule, type FunctionLoad } from './schedule.ts';
import { invokeCountAfter, recordFunctionArn, settlementFor } from './settlement.ts';

export interface AsyncPollerOptions {
  /** Most events delivered at once, over all functions. */
  readonly maxInFlight: number;
  readonly delays: RetryDelays;
  /**
   * Visibility timeout of a taken event (SQS's pattern): the poller renews the leases of the events
   * it still delivers every `leaseMs / 3`, however long they run, so only the leases of a front end
   * that died (or lost the database) expire, and its events are delivered again within `leaseMs`.
   */
  readonly leaseMs: number;
  /**
   * At start, make every leased event ready at once: right only when this process is the queue's
   * only user (the embedded SQLite all-in-one); with a shared store it would steal the events the
   * other front ends are delivering.
   */
  readonly releaseLeasesAtStart: boolean;
  /** Longest sleep between looks at the queue (events written by another process show up within it). */
  readonly scanIntervalMs: number;
  /** How one function's deliveries ramp up (function-pacer.ts); `maxLimit` is always `maxInFlight`. */
  readonly pace?: Partial<Omit<PaceParams, 'maxLimit'>>;
}

export const DEFAULT_PACE: Omit<PaceParams, 'maxLimit'> = { startLimit: 2, minIdleShare: 0.5, growIntervalMs: 100, forgetAfterMs: 10_000 };

export interface AsyncPollerDeps {
  readonly queue: EventQueue;
  readonly settings: (functionName: string, qualifier: string | undefined) => Promise<EventInvokeSettings>;
  readonly invoker: Invoker;
  /** Flint's queues: SQS destinations and dead-letter queues are sent their messages here before the event settles. */
  readonly queues: DestinationQueues;
  /** The DeadLetterConfig.TargetArn of the version an event invoked (undefined: none, or the function is gone). */
  readonly deadLetterQueueOf: (functionName: string, qualifier: string | undefined) => Promise<string | undefined>;
  readonly attemptLog: AttemptLog;
  readonly account: Account;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly options: AsyncPollerOptions;
  /** How idle the machine's CPUs were lately (0..1): a function's deliveries grow only while there is room. */
  readonly cpuIdleShare: () => number;
}

/** What one renewal round did: how many leases it extended, and the request ids of those found lost. */
export interface RenewalRound {
  readonly renewed: number;
  readonly lost: readonly string[];
}

/** What one attempt came to, before the policy decides. */
interface Attempt {
  readonly result: AttemptResult;
  readonly response: AttemptResponse | undefined;
  readonly label: string;
  readonly version: string;
  /** How long the handler ran, when it was reached. */
  readonly durationMs?: number;
}

/**
 * The pollers: take ready events (fair share across functions, arrival order
 * within one), deliver each through the synchronous invoke path, and settle it
 * as the retry policy decides. Up to `maxInFlight` deliveries run at once; the
 * pacer decides how many of them one function gets (a few, more while its backlog
 * lasts) and backs a throttled function off.
 */
export class AsyncPoller {
  readonly #deps: AsyncPollerDeps;
  readonly #pacer: FunctionPacer;
  readonly #inFlight = new Map<string, number>();
  readonly #running = new Set<Promise<void>>();
  /** The leases of the deliveries in flight, by token (renewed until they settle); `settling`: its settle has begun. */
  readonly #held = new Map<string, { event: LeasedEvent; settling: boolean }>();
  #renewTimer: NodeJS.Timeout | undefined;
  #renewing: Promise<RenewalRound> | undefined;
  #cursor: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #pumpQueued = false;
  /** A round is running (rounds never overlap); `#pumpAgain`: another was asked for meanwhile. */
  #pumping = false;
  #pumpAgain = false;
  #state: 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' = 'idle';

  constructor(deps: AsyncPollerDeps) {
    this.#deps = deps;
    this.#pacer = new FunctionPacer({ ...DEFAULT_PACE, ...deps.options.pace, maxLimit: deps.options.maxInFlight });
  }

  /** Starts polling (first releasing the leases a previous process left, when `releaseLeasesAtStart`). */
  async start(): Promise<void> {
    if (this.#state !== 'idle') return;
    this.#state = 'starting';
    if (this.#deps.options.releaseLeasesAtStart) {
      const released = await this.#deps.queue.releaseAllLeases(this.#deps.clock.now());
      if (released > 0) this.#deps.logger.info({ released }, 'async events in flight at the last stop are queued again');
    }
    if (this.#state !== 'starting') return; // stopped meanwhile
    this.#state = 'running';
    this.#renewTimer = setInterval(() => void this.renew(), Math.max(1, Math.floor(this.#deps.options.leaseMs / 3)));
    this.#renewTimer.unref();
    this.notify();
  }

  /** Something changed (an event was enqueued, a delivery ended): look at the queue soon. */
  notify(): void {
    if (this.#state !== 'running' || this.#pumpQueued) return;
    this.#pumpQueued = true;
    setImmediate(() => {
      this.#pumpQueued = false;
      void this.pump();
    });
  }

  /** Stops taking events; waits up to `graceMs` for deliveries in flight. Unsettled ones are delivered again after a restart. */
  async stop(graceMs: number): Promise<void> {
    if (this.#state === 'stopped' || this.#state === 'stopping') return;
    this.#state = 'stopping';
    clearTimeout(this.#timer);
    const pending = [...this.#running];
    if (pending.length > 0) await Promise.race([Promise.allSettled(pending), sleep(graceMs, undefined, { ref: false })]);
    // deliveries still running are abandoned: their leases expire and another front end (or the next start) delivers them again
    clearInterval(this.#renewTimer);
    this.#state = 'stopped';
  }

  /**
   * One renewal round (every `leaseMs / 3`): extends, in one statement, the leases of every delivery
   * in flight to now + `leaseMs`. A lease the store no longer holds for this poller was lost (it
   * expired while the store was out of reach, and maybe another front end took the event): it is
   * renewed no more, and its delivery's settle will be refused, so the event is recorded once, by
   * whoever holds it. Rounds do not overlap.
   */
  renew(): Promise<RenewalRound> {
    this.#renewing ??= this.#renew().finally(() => (this.#renewing = undefined));
    return this.#renewing;
  }

  async #renew(): Promise<RenewalRound> {
    const leases = [...this.#held.values()].filter((h) => !h.settling).map((h) => h.event);
    if (leases.length === 0) return { renewed: 0, lost: [] };
    let renewed: Set<string>;
    try {
      renewed = new Set(await this.#deps.queue.renewLeases(leases, this.#deps.clock.now() + this.#deps.options.leaseMs));
    } catch (err) {
      this.#deps.logger.warn({ err, leases: leases.length }, 'async poller could not renew its leases; it tries again');
      return { renewed: 0, lost: [] };
    }
    const lost: string[] = [];
    for (const event of leases) {
      const held = this.#held.get(event.leaseToken);
      if (renewed.has(event.leaseToken) || held === undefined || held.settling) continue; // settled meanwhile: not lost
      this.#held.delete(event.leaseToken);
      lost.push(event.requestId);
      this.#deps.logger.warn({ requestId: event.requestId, function: event.functionName }, 'async event lease lost before it could be renewed: another poller may deliver it again, and this delivery will not be recorded');
    }
    return { renewed: renewed.size, lost };
  }

  /** Deliveries in flight per function (for stats). */
  inFlight(): ReadonlyMap<string, number> {
    return this.#inFlight;
  }

  /**
   * One scheduling round: take what the schedule picks, start delivering it, and set the next wake-up.
   * Rounds never overlap: one asked for while another runs follows it.
   */
  async pump(): Promise<void> {
    if (this.#state !== 'running') return;
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    try {
      do {
        this.#pumpAgain = false;
        await this.#round();
      } while (this.#pumpAgain && this.#state === 'running');
    } finally {
      this.#pumping = false;
    }
  }

  async #round(): Promise<void> {
    const now = this.#deps.clock.now();
    try {
      const plan = schedule({ functions: await this.#loads(now), maxInFlight: this.#deps.options.maxInFlight, cursor: this.#cursor });
      this.#cursor = plan.cursor;
      for (const functionName of plan.picks) {
        if (this.#state !== 'running') break;
        const event = await this.#deps.queue.take(functionName, now, this.#deps.options.leaseMs);
        if (event !== undefined) this.#startDelivery(event);
      }
    } catch (err) {
      this.#deps.logger.error({ err }, 'async poller could not read the queue');
    }
    await this.#arm(now);
  }

  async #loads(now: number): Promise<FunctionLoad[]> {
    const ready = await this.#deps.queue.readyByFunction(now, this.#deps.options.maxInFlight);
    const names = new Set([...ready.keys(), ...this.#inFlight.keys()]);
    return [...names].map((functionName) => {
      const r = ready.get(functionName) ?? 0;
      const inFlight = this.#inFlight.get(functionName) ?? 0;
      // saturated: events would still wait once every slot the function may use is busy
      const saturated = r > 0 && r + inFlight > this.#pacer.limit(functionName, now);
      return { functionName, ready: r, inFlight, limit: this.#pacer.look(functionName, saturated, now, saturated ? this.#deps.cpuIdleShare() : 1) };
    });
  }

  async #arm(now: number): Promise<void> {
    let nextReady: number | undefined;
    try {
      nextReady = await this.#deps.queue.nextReadyMs(now);
    } catch (err) {
      this.#deps.logger.error({ err }, 'async poller could not read the queue');
    }
    if (this.#state !== 'running') return;
    clearTimeout(this.#timer);
    const candidates = [now + this.#deps.options.scanIntervalMs, nextReady, this.#pacer.nextLookMs(now)];
    const next = Math.min(...candidates.filter((t): t is number => t !== undefined));
    this.#timer = setTimeout(() => void this.pump(), Math.max(1, next - now));
    this.#timer.unref();
  }

  #startDelivery(event: LeasedEvent): void {
    moveEvent(this.#deps.logger, event.requestId, 'Queued', 'Leased', 'taken by a poller');
    const fn = event.functionName;
    const concurrent = (this.#inFlight.get(fn) ?? 0) + 1;
    this.#inFlight.set(fn, concurrent);
    this.#held.set(event.leaseToken, { event, settling: false });
    const delivery = this.#deliver(event, concurrent)
      .catch((err: unknown) => this.#deps.logger.error({ err, requestId: event.requestId }, 'async delivery failed; the event is delivered again when its lease expires'))
      .finally(() => {
        const n = (this.#inFlight.get(fn) ?? 1) - 1;
        if (n === 0) this.#inFlight.delete(fn);
        else this.#inFlight.set(fn, n);
        this.#held.delete(event.leaseToken);
        this.#running.delete(delivery);
        this.notify();
      });
    this.#running.add(delivery);
  }

  /** Delivers one event; `concurrent`: deliveries of its function running as it started, itself included. */
  async #deliver(event: LeasedEvent, concurrent: number): Promise<void> {
    const settings = await this.#deps.settings(event.functionName, event.qualifier);
    const attempt = isTooOld(event.acceptedMs, this.#deps.clock.now(), settings)
      ? { result: 'too-old' as const, response: undefined, label: 'EventAgeExceeded', version: event.qualifier ?? '$LATEST' }
      : await this.#attempt(event);
    if (this.#state === 'stopped') return; // abandoned at shutdown: the lease brings it back after the restart
    const now = this.#deps.clock.now();
    const decision = this.#decide(event, attempt, settings, concurrent, now);
    const deadLetterQueueArn = decision.action === 'fail' && decision.condition !== 'FunctionNotFound' ? await this.#deps.deadLetterQueueOf(event.functionName, event.qualifier) : undefined;
    // sent before the settle commits: a crash (or a lost lease) between the two sends them again with the event (at least once)
    const messages = queueMessagesFor(decision, {
      event,
      response: attempt.response,
      invokeCount: invokeCountAfter(event, attempt.result),
      functionArn: recordFunctionArn(event, this.#deps.account),
      nowMs: now,
      deadLetterQueueArn,
    });
    const sent = await this.#send(event, messages);
    const settlement = settlementFor(decision, { event, result: attempt.result, response: attempt.response, nowMs: now, account: this.#deps.account, newRequestId: randomUUID(), deadLetterQueueArn, sent });
    moveEvent(this.#deps.logger, event.requestId, 'Leased', targetState(settlement), attempt.label);
    const held = this.#held.get(event.leaseToken);
    if (held !== undefined) held.settling = true;
    // refused when the lease was lost (this front end could not renew it, and another may have taken the event):
    // the one holding it records the event, so it is recorded once
    if (!(await this.#deps.queue.settle(event, settlement, now))) {
      this.#deps.logger.warn({ requestId: event.requestId }, 'async event lease lost before it settled; the attempt is not recorded and the event is delivered again');
      return;
    }
    this.#logAttempt(event, attempt, settings, decision, now);
  }

  /**
   * Sends an event's queue messages; which were taken, by role. A queue that refuses one (it does
   * not exist) is logged and counted as Lambda does (DestinationDeliveryFailures, DeadLetterErrors);
   * the settlement then keeps the event in Flint's dead-letter store unless another destination took it.
   */
  async #send(event: LeasedEvent, messages: readonly OutgoingMessage[]): Promise<Partial<Record<MessageRole, boolean>>> {
    const sent: Partial<Record<MessageRole, boolean>> = {};
    for (const m of messages) {
      try {
        await this.#deps.queues.send(m.queueArn, m.message);
        sent[m.role] = true;
      } catch (err) {
        sent[m.role] = false;
        const what = m.role === 'destination' ? 'async destination' : 'dead-letter queue';
        this.#deps.logger.warn({ err, requestId: event.requestId, function: event.functionName, queue: m.queueArn }, `${what} could not be sent the event's message (${m.role === 'destination' ? 'DestinationDeliveryFailures' : 'DeadLetterErrors'})`);
      }
    }
    return sent;
  }

  async #attempt(event: LeasedEvent): Promise<Attempt> {
    try {
      const result = await this.#deps.invoker.invoke({
        entry: 'AsyncDelivery',
        requestId: event.requestId,
        functionName: event.functionName,
        qualifier: event.qualifier,
        invocationType: 'RequestResponse',
        payload: event.payload,
      });
      if (result.kind !== 'completed') throw new Error(`a delivery answered ${result.kind}`);
      return fromOutcome(result.outcome, result.target.config.version);
    } catch (err) {
      return this.#fromError(event, err);
    }
  }

  /** A delivery that did not reach the function; its attempt line goes to the stream of the qualifier invoked. */
  #fromError(event: LeasedEvent, err: unknown): Attempt {
    const failed = classifyFailure(err);
    if (failed.result === 'platform-error') {
      this.#deps.logger.warn({ err: failed.cause, requestId: event.requestId, function: event.functionName }, 'async delivery hit a platform error; it is retried');
    }
    return { result: failed.result, response: undefined, label: failed.label, version: event.qualifier ?? '$LATEST' };
  }

  #decide(event: LeasedEvent, attempt: Attempt, settings: EventInvokeSettings, concurrent: number, now: number): RetryDecision {
    const fn = event.functionName;
    const rejected = attempt.result === 'throttled' || attempt.result === 'platform-error';
    const decision = decideAfterAttempt({
      result: attempt.result,
      nowMs: now,
      acceptedMs: event.acceptedMs,
      functionErrors: event.functionErrorCount + (attempt.result === 'function-error' ? 1 : 0),
      backoffStreak: this.#pacer.state(fn, now).streak + 1,
      settings,
      delays: this.#deps.options.delays,
    });
    if (rejected) this.#pacer.rejected(fn, (this.#inFlight.get(fn) ?? 1) - 1, now, decision.action === 'retry' ? decision.delayMs : 0);
    else if (attempt.result === 'success' || attempt.result === 'function-error') this.#pacer.admitted(fn, attempt.durationMs ?? 0, concurrent, now);
    return decision;
  }

  #logAttempt(event: LeasedEvent, attempt: Attempt, settings: EventInvokeSettings, decision: RetryDecision, now: number): void {
    const reached = attempt.result === 'success' || attempt.result === 'function-error';
    if (!reached && decision.action === 'retry') {
      this.#deps.logger.debug({ requestId: event.requestId, result: attempt.label, delayMs: decision.delayMs }, 'async event requeued');
      return;
    }
    const line = attemptLine({
      requestId: event.requestId,
      attempt: reached ? event.invokeCount + 1 : 0,
      maxAttempts: 1 + (settings.maximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS),
      result: attempt.label,
      decision,
    });
    this.#deps.attemptLog.write(event.functionName, attempt.version, line, now);
  }
}

function fromOutcome(outcome: InvocationOutcome, version: string): Attempt {
  const response = { statusCode: 200, executedVersion: version, functionError: outcome.functionError, payload: outcome.payload };
  const durationMs = outcome.durationMs;
  if (outcome.functionError === undefined) return { result: 'success', response, label: 'Success', version, durationMs };
  return { result: 'function-error', response, label: `${outcome.functionError} (${outcome.errorType ?? 'Error'})`, version, durationMs };
}

function targetState(s: Settlement): EventState {
  return s.kind === 'requeue' ? 'Queued' : s.to;
}
