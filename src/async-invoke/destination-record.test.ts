import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { destinationRecord, type RecordInput } from './destination-record.ts';

const base: RecordInput = {
  requestId: 'req-1',
  functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST',
  condition: 'Success',
  approximateInvokeCount: 1,
  requestPayload: Buffer.from('{"a":1}'),
  response: { statusCode: 200, executedVersion: '$LATEST', functionError: undefined, payload: Buffer.from('{"ok":true}') },
  nowMs: Date.UTC(2024, 0, 2, 3, 4, 5, 678),
};
const parse = (input: RecordInput): Record<string, unknown> => JSON.parse(destinationRecord(input).toString()) as Record<string, unknown>;

describe('destinationRecord', () => {
  it('renders a success record as Lambda does', () => {
    assert.deepEqual(parse(base), {
      version: '1.0',
      timestamp: '2024-01-02T03:04:05.678Z',
      requestContext: { requestId: 'req-1', functionArn: base.functionArn, condition: 'Success', approximateInvokeCount: 1 },
      requestPayload: { a: 1 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      responsePayload: { ok: true },
    });
  });

  it('carries the function error and the error document when retries are exhausted', () => {
    const doc = { errorType: 'Error', errorMessage: 'boom', trace: [] };
    const out = parse({
      ...base,
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
      response: { statusCode: 200, executedVersion: '1', functionError: 'Unhandled', payload: Buffer.from(JSON.stringify(doc)) },
    });
    assert.deepEqual(out.responseContext, { statusCode: 200, executedVersion: '1', functionError: 'Unhandled' });
    assert.deepEqual(out.responsePayload, doc);
    assert.equal((out.requestContext as { approximateInvokeCount: number }).approximateInvokeCount, 3);
  });

  it('leaves out the response of an event that never reached the function', () => {
    const out = parse({ ...base, condition: 'EventAgeExceeded', approximateInvokeCount: 0, response: undefined });
    assert.equal('responseContext' in out, false);
    assert.equal('responsePayload' in out, false);
  });

  it('keeps a response that is not JSON as text and an empty one as null', () => {
    const text = parse({ ...base, response: { ...base.response!, payload: Buffer.from('plain') } });
    assert.equal(text.responsePayload, 'plain');
    const empty = parse({ ...base, response: { ...base.response!, payload: Buffer.alloc(0) } });
    assert.equal(empty.responsePayload, null);
  });
});
