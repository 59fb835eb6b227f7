import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AttemptResponse, LeasedEvent } from '../model/index.ts';
import { MAX_ERROR_MESSAGE_BYTES, isQueueArn, queueMessagesFor, truncateUtf8, type MessageContext } from './queue-messages.ts';
import type { RetryDecision } from './retry-policy.ts';

const Q = 'arn:aws:sqs:us-east-1:000000000000:q';
const DLQ = 'arn:aws:sqs:us-east-1:000000000000:dlq';
const FN = 'arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST';
const event: LeasedEvent = {
  id: 1, requestId: 'req-1', functionName: 'f', qualifier: undefined, payload: Buffer.from('{"k":1}'), origin: 'invoke',
  acceptedMs: 0, invokeCount: 0, functionErrorCount: 0, lastResponse: undefined, leaseToken: 't',
};
const failed = (payload: string): AttemptResponse => ({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled', payload: Buffer.from(payload) });
const ctx = (over: Partial<MessageContext> = {}): MessageContext => ({ event, response: failed('{"errorType":"Error","errorMessage":"boom"}'), invokeCount: 1, functionArn: FN, nowMs: 0, deadLetterQueueArn: undefined, ...over });

describe('queueMessagesFor', () => {
  const cases: Array<[string, RetryDecision, Partial<MessageContext>, string]> = [
    ['nothing for a retry', { action: 'retry', delayMs: 1, reason: 'function-error' }, { deadLetterQueueArn: DLQ }, ''],
    ['nothing for a function destination', { action: 'ack', destination: 'arn:aws:lambda:us-east-1:000000000000:function:d' }, {}, ''],
    ['the Success record for an OnSuccess queue', { action: 'ack', destination: Q }, {}, 'destination:q:Success'],
    ['the record for an OnFailure queue', { action: 'fail', condition: 'RetriesExhausted', destination: Q }, {}, 'destination:q:RetriesExhausted'],
    ['the record and the event for an OnFailure queue and a dead-letter queue', { action: 'fail', condition: 'EventAgeExceeded', destination: Q }, { deadLetterQueueArn: DLQ }, 'destination:q:EventAgeExceeded deadLetterQueue:dlq:event'],
    ['nothing to a dead-letter queue after a success', { action: 'ack', destination: undefined }, { deadLetterQueueArn: DLQ }, ''],
    ['nothing when the function is gone', { action: 'fail', condition: 'FunctionNotFound', destination: Q }, { deadLetterQueueArn: DLQ }, ''],
  ];
  for (const [name, decision, over, expected] of cases) {
    it(name, () => {
      const got = queueMessagesFor(decision, ctx(over)).map((m) => {
        const body = m.role === 'destination' ? (JSON.parse(m.message.body) as { requestContext: { condition: string } }).requestContext.condition : 'event';
        return `${m.role}:${m.queueArn.split(':')[5]}:${body}`;
      });
      assert.equal(got.join(' '), expected);
    });
  }

  it('gives the dead-letter message the event as body and Lambda\'s three attributes', () => {
    const [m] = queueMessagesFor({ action: 'fail', condition: 'RetriesExhausted', destination: undefined }, ctx({ deadLetterQueueArn: DLQ }));
    assert.deepEqual(m!.message, {
      body: '{"k":1}',
      messageAttributes: {
        RequestID: { dataType: 'String', stringValue: 'req-1' },
        ErrorCode: { dataType: 'Number', stringValue: '200' },
        ErrorMessage: { dataType: 'String', stringValue: 'boom' },
      },
    });
  });

  it('uses the payload text when it is not an error object, the condition when nothing reached the function, and 1 KB at most', () => {
    const message = (over: Partial<MessageContext>, condition: 'RetriesExhausted' | 'EventAgeExceeded' = 'RetriesExhausted') =>
      queueMessagesFor({ action: 'fail', condition, destination: undefined }, ctx({ deadLetterQueueArn: DLQ, ...over }))[0]!.message.messageAttributes!;
    assert.equal(message({ response: failed('plain text') }).ErrorMessage!.stringValue, 'plain text');
    const aged = message({ response: undefined }, 'EventAgeExceeded');
    assert.deepEqual([aged.ErrorCode!.stringValue, aged.ErrorMessage!.stringValue], ['429', 'EventAgeExceeded']);
    const long = message({ response: failed(JSON.stringify({ errorMessage: 'é'.repeat(2000) })) }).ErrorMessage!.stringValue!;
    assert.equal(Buffer.byteLength(long), MAX_ERROR_MESSAGE_BYTES);
  });
});

describe('truncateUtf8 and isQueueArn', () => {
  it('never splits a character', () => assert.equal(truncateUtf8('aé€', 4), 'aé'));
  it('tells SQS ARNs from the rest', () =>
    assert.deepEqual([Q, 'arn:aws:sns:us-east-1:000000000000:t', 'arn:aws:lambda:us-east-1:000000000000:function:f', undefined].map(isQueueArn), [true, false, false, false]));
});
