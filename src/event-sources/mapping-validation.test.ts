import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../shared/index.ts';
import { assertBatching, assertNoStreamSettings, assertSqsSource, BATCH_WINDOW_REQUIRED, checkedFilters, mappingValidationError } from './mapping-validation.ts';

const apiError = (code: string, message: string) => (err: unknown) => err instanceof ApiError && err.code === code && err.message === message;

describe('event source mapping validation', () => {
  it('lists every model violation in one ValidationException', () => {
    const err = mappingValidationError({ FunctionName: 'f', BatchSize: 0, MaximumBatchingWindowInSeconds: 301, ScalingConfig: { MaximumConcurrency: 1 } }, true);
    assert.equal(err?.code, 'ValidationException');
    assert.equal(
      err?.message,
      "3 validation errors detected: Value '0' at 'batchSize' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
        "Value '301' at 'maximumBatchingWindowInSeconds' failed to satisfy constraint: Member must have value less than or equal to 300; " +
        "Value '1' at 'scalingConfig.maximumConcurrency' failed to satisfy constraint: Member must have value greater than or equal to 2",
    );
    assert.match(mappingValidationError({ FunctionName: 'f', BatchSize: 10_001 }, true)!.message, /Member must have value less than or equal to 10000/);
    assert.match(mappingValidationError({ FunctionName: 'f', ScalingConfig: { MaximumConcurrency: 1001 } }, true)!.message, /less than or equal to 1000/);
    assert.match(mappingValidationError({ FunctionName: 'f', FunctionResponseTypes: ['Nope'] }, true)!.message, /enum value set: \[ReportBatchItemFailures\]/);
    assert.match(mappingValidationError({}, true)!.message, /Value 'null' at 'functionName' failed to satisfy constraint: Member must not be null/);
    assert.match(mappingValidationError({ FunctionName: 'f', EventSourceArn: 'queue' }, true)!.message, /at 'eventSourceArn'/);
    assert.equal(mappingValidationError({ FunctionName: 'f', BatchSize: 10_000, MaximumBatchingWindowInSeconds: 300, ScalingConfig: { MaximumConcurrency: 2 } }, true), undefined);
    assert.equal(mappingValidationError({}, false), undefined, 'an update needs no FunctionName');
  });

  it('recognises SQS queue ARNs only', () => {
    assertSqsSource('arn:aws:sqs:us-east-1:000000000000:q');
    for (const arn of [undefined, 'arn:aws:kinesis:us-east-1:000000000000:stream/s', 'arn:aws:sqs:us-east-1:000000000000:', 'arn:aws:sns:us-east-1:000000000000:t']) {
      assert.throws(() => assertSqsSource(arn), apiError('InvalidParameterValueException', 'Unrecognized event source.'));
    }
  });

  it('needs a batching window above 10 messages', () => {
    assertBatching(10, 0);
    assertBatching(10_000, 1);
    assert.throws(() => assertBatching(11, 0), apiError('InvalidParameterValueException', BATCH_WINDOW_REQUIRED));
  });

  it('refuses stream settings on an SQS mapping', () => {
    assertNoStreamSettings({ BatchSize: 5 });
    assert.throws(() => assertNoStreamSettings({ StartingPosition: 'LATEST' }), apiError('InvalidParameterValueException', 'Unsupported StartingPosition parameter for given event source mapping type.'));
    assert.throws(() => assertNoStreamSettings({ DestinationConfig: {} }), apiError('InvalidParameterValueException', 'Unsupported DestinationConfig parameter for given event source mapping type.'));
  });

  it('checks the filters: valid patterns, at most five; an empty list clears them', () => {
    assert.deepEqual(checkedFilters({ Filters: [{ Pattern: '{"body":{"a":["x"]}}' }] }), [{ Pattern: '{"body":{"a":["x"]}}' }]);
    assert.equal(checkedFilters({ Filters: [] }), undefined);
    assert.equal(checkedFilters(undefined), undefined);
    assert.throws(() => checkedFilters({ Filters: [{ Pattern: '{"a":"x"}' }] }), apiError('InvalidParameterValueException', 'Invalid filter pattern definition.'));
    assert.throws(() => checkedFilters({ Filters: [{}] }), apiError('InvalidParameterValueException', 'Invalid filter pattern definition.'));
    const six = Array.from({ length: 6 }, (_, i) => ({ Pattern: `{"body":{"n":[${i}]}}` }));
    assert.throws(() => checkedFilters({ Filters: six }), (err: unknown) => err instanceof ApiError && err.code === 'InvalidParameterValueException');
  });
});
