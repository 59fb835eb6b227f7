import assert from 'node:assert/strict';
import { it } from 'node:test';
import { operationOf, type RoutedRequest } from './operations.ts';

const req = (over: Partial<RoutedRequest>): RoutedRequest => ({ method: 'POST', route: '/', params: {}, query: '', headers: {}, body: undefined, ...over });

it('maps every SQS entry point to sqs:ACTION in the sqs scope: JSON targets, forms on / and forms on a queue URL', () => {
  assert.deepEqual(operationOf(req({ headers: { 'x-amz-target': 'AmazonSQS.SendMessage' } })), { service: 'sqs', action: 'sqs:SendMessage' });
  assert.deepEqual(operationOf(req({ body: Buffer.from('Action=ListQueues&Version=2012-11-05') })), { service: 'sqs', action: 'sqs:ListQueues' });
  const queueUrl = { route: '/:account/:queue', params: { account: '000000000000', queue: 'q' } };
  assert.deepEqual(operationOf(req({ ...queueUrl, body: Buffer.from('Action=SendMessage&MessageBody=x') })), { service: 'sqs', action: 'sqs:SendMessage' });
  // a queue URL without a form is still SQS's (refused there), never a Lambda action another scope could sign
  assert.deepEqual(operationOf(req({ ...queueUrl, body: Buffer.from('{}') })), { service: 'sqs', action: 'unknown:POST /:account/:queue' });
});

it('leaves a Lambda path the queue URL route also matches to the Lambda API', () => {
  const op = operationOf(req({ route: '/:account/:queue', params: { account: '2017-03-31', queue: 'tags' } }));
  assert.equal(op.service, 'lambda');
});
