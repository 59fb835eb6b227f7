/**
 * Turns a retry decision into what the queue commits (pure): the requeue with
 * its delay, or the end of the event together with the destination record it
 * sends on or the dead letter it leaves, and the counters it moves.
 */
import { parseFunctionRef, type Account } from '../shared/index.ts';
import type { AttemptResponse, LeasedEvent, NewAsyncEvent } from '../model/index.ts';
import { destinationRecord } from './destination-record.ts';
import type { AsyncCounter, Settlement } from '../model/index.ts';
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
}

/** Whether the attempt reached the function (and so counts in approximateInvokeCount). */
export function reachedFunction(result: AttemptResult): boolean {
  return result === 'success' || result === 'function-error';
}

export function settlementFor(decision: RetryDecision, ctx: SettlementContext): Settlement {
  const invoked = reachedFunction(ctx.result);
  const invokeCount = ctx.event.invokeCount + (invoked ? 1 : 0);
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
      const forward = forwardTo(decision.destination, 'Success', invokeCount, ctx);
      return { kind: 'finish', to: 'Succeeded', forward, deadLetter: undefined, counters: forward ? ['succeeded', 'sentToDestination'] : ['succeeded'] };
    }
    case 'fail': {
      const aged: AsyncCounter[] = decision.condition === 'EventAgeExceeded' ? ['droppedByAge'] : [];
      const condition = decision.condition === 'FunctionNotFound' ? undefined : decision.condition;
      const forward = condition === undefined ? undefined : forwardTo(decision.destination, condition, invokeCount, ctx);
      if (forward) return { kind: 'finish', to: 'Failed', forward, deadLetter: undefined, counters: [...aged, 'sentToDestination'] };
      const response = ctx.response ?? ctx.event.lastResponse;
      return {
        kind: 'finish',
        to: 'DeadLettered',
        forward: undefined,
        deadLetter: { condition: decision.condition, approximateInvokeCount: invokeCount, response },
        counters: [...aged, 'deadLettered'],
      };
    }
  }
}

/** The destination event carrying Lambda's record, or undefined when there is no usable destination. */
function forwardTo(
  destinationArn: string | undefined,
  condition: 'Success' | 'RetriesExhausted' | 'EventAgeExceeded',
  approximateInvokeCount: number,
  ctx: SettlementContext,
): NewAsyncEvent | undefined {
  if (destinationArn === undefined) return undefined;
  const dest = parseFunctionRef(destinationArn, ctx.account);
  if (dest === undefined) return undefined;
  const e = ctx.event;
  const record = destinationRecord({
    requestId: e.requestId,
    functionArn: `arn:aws:lambda:${ctx.account.region}:${ctx.account.accountId}:function:${e.functionName}:${e.qualifier ?? '$LATEST'}`,
    condition,
    approximateInvokeCount,
    requestPayload: e.payload,
    response: ctx.response ?? e.lastResponse,
    nowMs: ctx.nowMs,
  });
  return { requestId: ctx.newRequestId, functionName: dest.name, qualifier: dest.qualifier, payload: record, origin: 'destination' };
}
