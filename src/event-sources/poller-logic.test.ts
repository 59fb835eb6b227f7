import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readBatchResponse } from './batch-response.ts';
import { concurrencyCap, nextConcurrency, throttleBackoffMs } from './scaling.ts';
import { sqsEvent, sqsRecord } from './sqs-event.ts';

describe('SQS event records', () => {
  it('carries every member Lambda sends, with message attributes in its shape', () => {
    const record = sqsRecord(
      {
        messageId: 'm1',
        receiptHandle: 'rh1',
        body: 'hello',
        md5OfBody: '5d41402abc4b2a76b9719d911017c592',
        md5OfMessageAttributes: 'abc',
        attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1700000000000', SenderId: '000000000000', ApproximateFirstReceiveTimestamp: '1700000000001' },
        messageAttributes: { Kind: { dataType: 'String', stringValue: 'order' }, Blob: { dataType: 'Binary', binaryValue: 'AAE=' } },
      },
      'arn:aws:sqs:eu-west-1:000000000000:orders',
    );
    assert.deepEqual(record, {
      messageId: 'm1',
      receiptHandle: 'rh1',
      body: 'hello',
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1700000000000', SenderId: '000000000000', ApproximateFirstReceiveTimestamp: '1700000000001' },
      messageAttributes: {
        Kind: { stringValue: 'order', stringListValues: [], binaryListValues: [], dataType: 'String' },
        Blob: { binaryValue: 'AAE=', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
      },
      md5OfBody: '5d41402abc4b2a76b9719d911017c592',
      md5OfMessageAttributes: 'abc',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:orders',
      awsRegion: 'eu-west-1',
    });
    assert.deepEqual(JSON.parse(sqsEvent([record]).toString()), { Records: [record] });
  });
});

describe('ReportBatchItemFailures responses', () => {
  const ids = new Set(['a', 'b', 'c']);
  const read = (text: string) => readBatchResponse(Buffer.from(text), ids);

  it('complete success: empty or null list, empty or null response', () => {
    for (const text of ['', 'null', '{}', '{"batchItemFailures":[]}', '{"batchItemFailures":null}']) assert.equal(read(text).kind, 'all-succeeded', text);
  });

  it('complete failure: not JSON, missing or empty identifiers, unknown ids', () => {
    for (const text of ['not json', '"ok"', '[1]', '{"batchItemFailures":"a"}', '{"batchItemFailures":[{"itemIdentifier":""}]}', '{"batchItemFailures":[{"itemIdentifier":null}]}', '{"batchItemFailures":[{"id":"a"}]}', '{"batchItemFailures":[{"itemIdentifier":"zz"}]}']) {
      assert.equal(read(text).kind, 'all-failed', text);
    }
  });

  it('partial: only the ids named failed', () => {
    const v = read('{"batchItemFailures":[{"itemIdentifier":"b"},{"itemIdentifier":"c"}]}');
    assert.equal(v.kind, 'partial');
    assert.deepEqual(v.kind === 'partial' ? [...v.failed] : [], ['b', 'c']);
  });
});

describe('poller scaling', () => {
  it('grows on full batches up to the cap, shrinks when empty, halves on throttles, never below one', () => {
    assert.equal(nextConcurrency({ current: 1, event: 'full-batch', cap: 5 }), 2);
    assert.equal(nextConcurrency({ current: 5, event: 'full-batch', cap: 5 }), 5);
    assert.equal(nextConcurrency({ current: 3, event: 'partial-batch', cap: 5 }), 3);
    assert.equal(nextConcurrency({ current: 3, event: 'empty', cap: 5 }), 2);
    assert.equal(nextConcurrency({ current: 1, event: 'empty', cap: 5 }), 1);
    assert.equal(nextConcurrency({ current: 8, event: 'throttled', cap: 10 }), 4);
    assert.equal(nextConcurrency({ current: 1, event: 'throttled', cap: 10 }), 1);
    assert.equal(nextConcurrency({ current: 9, event: 'partial-batch', cap: 4 }), 4, 'a lowered cap applies at once');
  });

  it('caps at the smallest limit set', () => {
    assert.equal(concurrencyCap(100, undefined, undefined), 100);
    assert.equal(concurrencyCap(100, 5, undefined), 5);
    assert.equal(concurrencyCap(100, 50, 3), 3);
  });

  it('backs off exponentially after throttles', () => {
    assert.deepEqual([1, 2, 3, 10].map((s) => throttleBackoffMs(s, 100, 1000)), [100, 200, 400, 1000]);
  });
});
