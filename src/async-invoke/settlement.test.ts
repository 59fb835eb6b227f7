import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AttemptResponse, LeasedEvent } from '../model/index.ts';
import type { Settlement } from '../model/index.ts';
import type { AttemptResult, RetryDecision } from './retry-policy.ts';
import { settlementFor, type SettlementContext } from './settlement.ts';

const account = { region: 'us-east-1', accountId: '000000000000' };
const DEST = 'arn:aws:lambda:us-east-1:000000000000:function:dest';
const event: LeasedEvent = {
  id: 1,
  requestId: 'req-1',
  functionName: 'f',
  qualifier: undefined,
  payload: Buffer.from('{"k":1}'),
  origin: 'invoke',
  acceptedMs: 0,
  invokeCount: 2,
  functionErrorCount: 2,
  lastResponse: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled', payload: Buffer.from('{"old":true}') },
  leaseToken: 't',
};
const ok: AttemptResponse = { statusCode: 200, executedVersion: '$LATEST', functionError: undefined, payload: Buffer.from('{"ok":1}') };
const ctx = (result: AttemptResult, response: AttemptResponse | undefined): SettlementContext => ({ event, result, response, nowMs: 1000, account, newRequestId: 'new-req' });

function render(s: Settlement): string {
  if (s.kind === 'requeue') return `requeue@${s.visibleAtMs} invoked=${s.invoked} fnError=${s.functionError} [${s.counters.join(',')}]`;
  const fwd = s.forward ? ` -> ${s.forward.functionName}` : '';
  const dl = s.deadLetter ? ` dead(${s.deadLetter.condition},${s.deadLetter.approximateInvokeCount})` : '';
  return `${s.to}${fwd}${dl} [${s.counters.join(',')}]`;
}

describe('settlementFor', () => {
  const cases: Array<[string, RetryDecision, AttemptResult, AttemptResponse | undefined, string]> = [
    ['acks a success without destination', { action: 'ack', destination: undefined }, 'success', ok, 'Succeeded [succeeded]'],
    ['acks a success to OnSuccess', { action: 'ack', destination: DEST }, 'success', ok, 'Succeeded -> dest [succeeded,sentToDestination]'],
    ['requeues a function error as a retry', { action: 'retry', delayMs: 60, reason: 'function-error' }, 'function-error', ok, 'requeue@1060 invoked=true fnError=true [retried]'],
    ['requeues a throttle without counting an attempt', { action: 'retry', delayMs: 5, reason: 'throttled' }, 'throttled', undefined, 'requeue@1005 invoked=false fnError=false [throttled]'],
    ['requeues a platform error', { action: 'retry', delayMs: 5, reason: 'platform-error' }, 'platform-error', undefined, 'requeue@1005 invoked=false fnError=false [platformErrors]'],
    ['fails exhausted retries to OnFailure', { action: 'fail', condition: 'RetriesExhausted', destination: DEST }, 'function-error', ok, 'Failed -> dest [sentToDestination]'],
    ['dead-letters exhausted retries without OnFailure', { action: 'fail', condition: 'RetriesExhausted', destination: undefined }, 'function-error', ok, 'DeadLettered dead(RetriesExhausted,3) [deadLettered]'],
    ['counts an aged-out event as dropped by age', { action: 'fail', condition: 'EventAgeExceeded', destination: undefined }, 'too-old', undefined, 'DeadLettered dead(EventAgeExceeded,2) [droppedByAge,deadLettered]'],
    ['sends an aged-out event to OnFailure', { action: 'fail', condition: 'EventAgeExceeded', destination: DEST }, 'throttled', undefined, 'Failed -> dest [droppedByAge,sentToDestination]'],
    ['dead-letters when the function is gone', { action: 'fail', condition: 'FunctionNotFound', destination: undefined }, 'function-gone', undefined, 'DeadLettered dead(FunctionNotFound,2) [deadLettered]'],
    ['dead-letters when the destination ARN no longer parses', { action: 'fail', condition: 'RetriesExhausted', destination: 'arn:aws:lambda:eu-west-1:000000000000:function:x' }, 'function-error', ok, 'DeadLettered dead(RetriesExhausted,3) [deadLettered]'],
  ];
  for (const [name, decision, result, response, expected] of cases) it(name, () => assert.equal(render(settlementFor(decision, ctx(result, response))), expected));

  const Q = 'arn:aws:sqs:us-east-1:000000000000:q';
  const DLQ = 'arn:aws:sqs:us-east-1:000000000000:dlq';
  const queueCases: Array<[string, RetryDecision, Partial<SettlementContext>, string]> = [
    ['acks a success sent to an OnSuccess queue', { action: 'ack', destination: Q }, { sent: { destination: true } }, 'Succeeded [succeeded,sentToDestination]'],
    ['acks a success whose OnSuccess queue refused the record, counting the failure', { action: 'ack', destination: Q }, { sent: { destination: false } }, 'Succeeded [succeeded,destinationDeliveryFailures]'],
    ['fails to an OnFailure queue that took the record', { action: 'fail', condition: 'RetriesExhausted', destination: Q }, { sent: { destination: true } }, 'Failed [sentToDestination]'],
    ['dead-letters in the store when the OnFailure queue refused the record', { action: 'fail', condition: 'RetriesExhausted', destination: Q }, { sent: { destination: false } }, 'DeadLettered dead(RetriesExhausted,3) [destinationDeliveryFailures,deadLettered]'],
    ['fails to the dead-letter queue that took the event', { action: 'fail', condition: 'RetriesExhausted', destination: undefined }, { deadLetterQueueArn: DLQ, sent: { deadLetterQueue: true } }, 'Failed [sentToDeadLetterQueue]'],
    ['dead-letters in the store when the dead-letter queue refused the event', { action: 'fail', condition: 'EventAgeExceeded', destination: undefined }, { deadLetterQueueArn: DLQ, sent: { deadLetterQueue: false } }, 'DeadLettered dead(EventAgeExceeded,3) [droppedByAge,deadLetterErrors,deadLettered]'],
    ['sends to both an OnFailure function and the dead-letter queue', { action: 'fail', condition: 'RetriesExhausted', destination: DEST }, { deadLetterQueueArn: DLQ, sent: { deadLetterQueue: true } }, 'Failed -> dest [sentToDestination,sentToDeadLetterQueue]'],
    ['ignores the dead-letter queue when the function is gone', { action: 'fail', condition: 'FunctionNotFound', destination: undefined }, { deadLetterQueueArn: DLQ }, 'DeadLettered dead(FunctionNotFound,3) [deadLettered]'],
  ];
  for (const [name, decision, extra, expected] of queueCases) {
    it(name, () => assert.equal(render(settlementFor(decision, { ...ctx('function-error', ok), ...extra })), expected));
  }

  it('puts Lambda\'s record, with the approximate invoke count, in the destination event', () => {
    const s = settlementFor({ action: 'fail', condition: 'RetriesExhausted', destination: `${DEST}:live` }, ctx('function-error', { ...ok, functionError: 'Unhandled' }));
    assert.equal(s.kind, 'finish');
    const forward = (s as Extract<Settlement, { kind: 'finish' }>).forward!;
    assert.deepEqual([forward.functionName, forward.qualifier, forward.requestId, forward.origin], ['dest', 'live', 'new-req', 'destination']);
    const record = JSON.parse(forward.payload.toString()) as { requestContext: Record<string, unknown>; requestPayload: unknown };
    assert.deepEqual(record.requestContext, { requestId: 'req-1', functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST', condition: 'RetriesExhausted', approximateInvokeCount: 3 });
    assert.deepEqual(record.requestPayload, { k: 1 });
  });

  it('uses the last response for an event that ages out while throttled', () => {
    const s = settlementFor({ action: 'fail', condition: 'EventAgeExceeded', destination: DEST }, ctx('throttled', undefined)) as Extract<Settlement, { kind: 'finish' }>;
    const record = JSON.parse(s.forward!.payload.toString()) as { responsePayload: unknown; requestContext: { approximateInvokeCount: number } };
    assert.deepEqual(record.responsePayload, { old: true });
    assert.equal(record.requestContext.approximateInvokeCount, 2);
  });
});
