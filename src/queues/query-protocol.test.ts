import assert from 'node:assert/strict';
import { it } from 'node:test';
import { queryErrorResponse, queryInput, queryResponse } from './query-protocol.ts';
import { SqsError } from './sqs-error.ts';

it('reads flattened query lists and maps into the JSON protocol shape', () => {
  const form = new URLSearchParams(
    'Action=SendMessageBatch&Version=2012-11-05&QueueUrl=http%3A%2F%2Fh%2F1%2Fq' +
      '&SendMessageBatchRequestEntry.2.Id=b&SendMessageBatchRequestEntry.2.MessageBody=two' +
      '&SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=one&SendMessageBatchRequestEntry.1.DelaySeconds=3' +
      '&SendMessageBatchRequestEntry.1.MessageAttribute.1.Name=colour&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType=String' +
      '&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue=red',
  );
  assert.deepEqual(queryInput(form), {
    QueueUrl: 'http://h/1/q',
    Entries: [
      { Id: 'a', MessageBody: 'one', DelaySeconds: '3', MessageAttributes: { colour: { DataType: 'String', StringValue: 'red' } } },
      { Id: 'b', MessageBody: 'two' },
    ],
  });
  assert.deepEqual(queryInput(new URLSearchParams('Action=CreateQueue&QueueName=q&Attribute.1.Name=DelaySeconds&Attribute.1.Value=5&Tag.1.Key=team&Tag.1.Value=a&AttributeName.1=All')), {
    QueueName: 'q', Attributes: { DelaySeconds: '5' }, Tags: { team: 'a' }, AttributeNames: ['All'],
  });
});

it('answers in SQS XML, lists flattened and text escaped', () => {
  assert.equal(
    queryResponse('ReceiveMessage', { Messages: [{ MessageId: 'm', Body: '<b>&', Attributes: { SenderId: '1' }, MessageAttributes: { c: { DataType: 'String', StringValue: 'x' } } }] }, 'r'),
    '<?xml version="1.0"?><ReceiveMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><ReceiveMessageResult><Message><MessageId>m</MessageId><Body>&lt;b&gt;&amp;</Body>' +
      '<Attribute><Name>SenderId</Name><Value>1</Value></Attribute><MessageAttribute><Name>c</Name><Value><DataType>String</DataType><StringValue>x</StringValue></Value></MessageAttribute></Message>' +
      '</ReceiveMessageResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ReceiveMessageResponse>',
  );
  assert.match(queryResponse('DeleteQueue', {}, 'r'), /^<\?xml version="1.0"\?><DeleteQueueResponse [^>]+><ResponseMetadata>/);
  assert.match(queryResponse('SendMessageBatch', { Successful: [{ Id: 'a' }], Failed: [{ Id: 'b', SenderFault: true }] }, 'r'), /<SendMessageBatchResultEntry><Id>a<\/Id><\/SendMessageBatchResultEntry><BatchResultErrorEntry><Id>b<\/Id><SenderFault>true<\/SenderFault>/);
  assert.match(queryErrorResponse(new SqsError('QueueDoesNotExist', 'gone'), 'r'), /<Error><Type>Sender<\/Type><Code>AWS.SimpleQueueService.NonExistentQueue<\/Code><Message>gone<\/Message>/);
});

it('keeps form keys that name a prototype away from Object.prototype, and takes a member named __proto__ as a member', () => {
  const input = queryInput(new URLSearchParams('Action=SendMessage&MessageBody=b&__proto__.polluted=yes&constructor.prototype.evil=1&Attribute.__proto__.Name=x&toString.1=y&Attribute.1.Name=__proto__&Attribute.1.Value=v'));
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(({} as Record<string, unknown>).evil, undefined);
  assert.equal(JSON.stringify(input), '{"MessageBody":"b","toString":{"1":"y"},"Attributes":{"__proto__":"v"}}');
  assert.equal(Object.getPrototypeOf(input.Attributes), Object.prototype);
});
