import assert from 'node:assert/strict';
import { it } from 'node:test';
import { redrivePolicyOf, validateQueueAttributes } from './queue-attributes.ts';

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return `${(err as { code: string }).code}: ${(err as Error).message}`;
  }
  return 'no error';
};

it('normalizes settable attributes and keeps a redrive policy as JSON', () => {
  const out = validateQueueAttributes({ VisibilityTimeout: '45', DelaySeconds: 0, RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:r:1:d","maxReceiveCount":"3"}' }, false, true);
  assert.deepEqual(out, { VisibilityTimeout: '45', DelaySeconds: '0', RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:r:1:d","maxReceiveCount":3}' });
  assert.deepEqual(redrivePolicyOf(out), { deadLetterTargetArn: 'arn:aws:sqs:r:1:d', maxReceiveCount: 3 });
  assert.deepEqual(validateQueueAttributes({ FifoQueue: 'TRUE', ContentBasedDeduplication: 'True' }, true, true), { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
});

it('rejects unknown names, values out of range, FIFO attributes on standard queues and a changed queue type', () => {
  assert.equal(code(() => validateQueueAttributes({ Colour: 'red' }, false, true)), 'InvalidAttributeName: Unknown Attribute Colour.');
  assert.equal(code(() => validateQueueAttributes({ VisibilityTimeout: '43201' }, false, true)), 'InvalidAttributeValue: Invalid value for the parameter VisibilityTimeout.');
  assert.equal(code(() => validateQueueAttributes({ DelaySeconds: '-1' }, false, true)), 'InvalidAttributeValue: Invalid value for the parameter DelaySeconds.');
  assert.equal(code(() => validateQueueAttributes({ ContentBasedDeduplication: 'true' }, false, true)), 'InvalidAttributeName: Unknown Attribute ContentBasedDeduplication.');
  assert.match(code(() => validateQueueAttributes({ FifoQueue: 'true' }, true, false)), /^InvalidAttributeValue: .*Modifying queue type/);
  assert.match(code(() => validateQueueAttributes({ RedrivePolicy: '{"deadLetterTargetArn":"a","maxReceiveCount":0}' }, false, false)), /^InvalidParameterValue: .*maxReceiveCount/);
  assert.match(code(() => validateQueueAttributes({ RedrivePolicy: 'x' }, false, false)), /not a valid JSON map/);
});
