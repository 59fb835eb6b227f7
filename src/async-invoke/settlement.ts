/**
 * Turns a retry decision into what the queue commits (pure): the requeue with
 * its delay, or the end of the event together with the destination record it
 * sends on or the dead letter it leaves, and the counters it moves.
 *
 * Messages to SQS queues (an SQS destination, the function's dead-letter queue)
 * are sent by the poller before it settles (queue-messages.ts); `sent` says which
 * were taken. An event handed to none of its destinations (none set, or the queue
 * refused it) ends in Flint's dead-letter store, so nothing is lost silently.
 */
import { parseFunctionRef, type Account } from '../shared/index.ts';
import type { AttemptResponse, LeasedEvent, NewAsyncEvent } from '../model/index.ts';
import { destinationRecord, type RecordCondition } from './destination-record.ts';
import type { AsyncCounter, Settlement } from '../model/index.ts';
import { isQueueArn, type MessageRole } from './queue-messages.ts';
import type { AttemptResult, RetryDecision } from './retry-policy.ts';

export interface SettlementContext {
  readonly event: LeasedEvent;
  readonly result: AttemptResult;
  /** This attempt's response, when it reached the function. */
  readonly response: AttemptResponse | undefined;
  readonly nowMs: number;
  readonly account: Account;
  /** The request id the destination function's invocation gets. */
  readonly newRequestId: string;
  /** The version's DeadLetterConfig.TargetArn (looked up for final failures only). */
  readonly deadLetterQueueArn?: string | undefined;
  /** Which of the queue messages (`queueMessagesFor`) were sent, by role; a role absent was not sent. */
  readonly sent?: Readonly<Partial<Record<MessageRole, boolean>>>;
}

/** Whether the attempt reached the function (and so counts in approximateInvokeCount). */
export function reachedFunction(result: AttemptResult): boolean {
  return result === 'success' || result === 'function-error';
}

/** approximateInvokeCount once this attempt is counted. */
export function invokeCountAfter(event: LeasedEvent, result: AttemptResult): number {
  return event.invokeCount + (reachedFunction(result) ? 1 : 0);
}

/** The ARN the record names: the function qualified with what was invoked (`:$LATEST` when unqualified). */
export function recordFunctionArn(event: LeasedEvent, account: Account): string {
  return `arn:aws:lambda:${account.region}:${account.accountId}:function:${event.functionName}:${event.qualifier ?? '$LATEST'}`;
}

export function settlementFor(decision: RetryDecision, ctx: SettlementContext): Settlement {
  const invoked = reachedFunction(ctx.result);
  const invokeCount = invokeCountAfter(ctx.event, ctx.result);
  switch (decision.action) {
    case 'retry': {
      const counter: AsyncCounter = decision.reason === 'function-error' ? 'retried' : decision.reason === 'throttled' ? 'throttled' : 'platformErrors';
      return {
        kind: 'requeue',
        visibleAtMs: ctx.nowMs + decision.delayMs,
        invoked,
        functionError: ctx.result === 'function-error',
        response: ctx.response,
        counters: [counter],
      };
    }
    case 'ack': {
      const to = handOver(decision.destination, 'Success', invokeCount, ctx);
      return { kind: 'finish', to: 'Succeeded', forward: to.forward, deadLetter: undefined, counters: ['succeeded', ...to.counters] };
    }
    case 'fail': {
      const aged: AsyncCounter[] = decision.condition === 'EventAgeExceeded' ? ['droppedByAge'] : [];
      const condition = decision.condition === 'FunctionNotFound' ? undefined : decision.condition;
      const to = condition === undefined ? NOWHERE : handOver(decision.destination, condition, invokeCount, ctx);
      const dlq = condition === undefined ? NOWHERE : deadLetterQueue(ctx);
      const counters = [...aged, ...to.counters, ...dlq.counters];
      if (to.taken || dlq.taken) return { kind: 'finish', to: 'Failed', forward: to.forward, deadLetter: undefined, counters };
      const response = ctx.response ?? ctx.event.lastResponse;
      return {
        kind: 'finish',
        to: 'DeadLettered',
        forward: undefined,
        deadLetter: { condition: decision.condition, approximateInvokeCount: invokeCount, response },
        counters: [...counters, 'deadLettered'],
      };
    }
  }
}

/** Where an event's outcome went: `taken` when a destination has it (a function event to enqueue, or a message sent). */
interface HandOver {
  readonly taken: boolean;
  readonly forward: NewAsyncEvent | undefined;
  readonly counters: readonly AsyncCounter[];
}

const NOWHERE: HandOver = { taken: false, forward: undefined, counters: [] };

/** The destination: a function gets a new event carrying Lambda's record; a queue was sent the record already. */
function handOver(destinationArn: string | undefined, condition: RecordCondition, approximateInvokeCount: number, ctx: SettlementContext): HandOver {
  if (destinationArn === undefined) return NOWHERE;
  if (isQueueArn(destinationArn)) {
    return ctx.sent?.destination === true ? { taken: true, forward: undefined, counters: ['sentToDestination'] } : { taken: false, forward: undefined, counters: ['destinationDeliveryFailures'] };
  }
  const dest = parseFunctionRef(destinationArn, ctx.account);
  if (dest === undefined) return NOWHERE;
  const e = ctx.event;
  const record = destinationRecord({
    requestId: e.requestId,
    functionArn: recordFunctionArn(e, ctx.account),
    condition,
    approximateInvokeCount,
    requestPayload: e.payload,
    response: ctx.response ?? e.lastResponse,
    nowMs: ctx.nowMs,
  });
  const forward: NewAsyncEvent = { requestId: ctx.newRequestId, functionName: dest.name, qualifier: dest.qualifier, payload: record, origin: 'destination' };
  return { taken: true, forward, counters: ['sentToDestination'] };
}

/** The function's dead-letter queue, which was sent the event already (or refused it). */
function deadLetterQueue(ctx: SettlementContext): HandOver {
  if (!isQueueArn(ctx.deadLetterQueueArn)) return NOWHERE;
  return ctx.sent?.deadLetterQueue === true ? { taken: true, forward: undefined, counters: ['sentToDeadLetterQueue'] } : { taken: false, forward: undefined, counters: ['deadLetterErrors'] };
}
