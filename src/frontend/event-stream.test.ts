import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { InvokeWithResponseStreamCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/core/serde';
import { completeError, EVENT_STREAM_CONTENT_TYPE, invokeComplete, payloadChunk } from './event-stream.ts';

/** Decodes a response body the way `@aws-sdk/client-lambda` does, from bytes handed to it by a request handler. */
async function sdkEvents(frames: readonly Uint8Array[]): Promise<unknown[]> {
  const client = new LambdaClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    requestHandler: {
      handle: async () => ({
        response: {
          statusCode: 200,
          headers: { 'content-type': EVENT_STREAM_CONTENT_TYPE, 'x-amz-executed-version': '$LATEST' },
          body: Readable.from(frames.map((f) => Buffer.from(f))),
        },
      }),
    },
  });
  const r = await client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'f' }));
  assert.equal(r.ExecutedVersion, '$LATEST');
  const events: unknown[] = [];
  for await (const event of r.EventStream!) {
    events.push(event.PayloadChunk ? { PayloadChunk: Buffer.from(event.PayloadChunk.Payload!).toString() } : event);
  }
  client.destroy();
  return events;
}

describe('InvokeWithResponseStream event stream', () => {
  it("frames PayloadChunk and InvokeComplete events that the SDK's client decodes", async () => {
    const events = await sdkEvents([payloadChunk(Buffer.from('hello ')), payloadChunk(Buffer.from('world')), invokeComplete({ LogResult: 'bG9n' })]);
    assert.deepEqual(events, [{ PayloadChunk: 'hello ' }, { PayloadChunk: 'world' }, { InvokeComplete: { LogResult: 'bG9n' } }]);
  });

  it('carries ErrorCode and ErrorDetails in InvokeComplete', async () => {
    const events = await sdkEvents([invokeComplete(completeError('TypeError', Buffer.from('{"errorType":"TypeError","errorMessage":"boom"}')))]);
    assert.deepEqual(events, [{ InvokeComplete: { ErrorCode: 'TypeError', ErrorDetails: 'boom' } }]);
  });

  it("uses AWS's message headers and CRCs", () => {
    const codec = new EventStreamCodec(toUtf8, fromUtf8);
    const message = codec.decode(payloadChunk(Buffer.from('x')));
    assert.deepEqual(message.headers, {
      ':event-type': { type: 'string', value: 'PayloadChunk' },
      ':message-type': { type: 'string', value: 'event' },
      ':content-type': { type: 'string', value: 'application/octet-stream' },
    });
    const corrupt = invokeComplete({});
    corrupt[corrupt.length - 5]! ^= 1;
    assert.throws(() => codec.decode(corrupt), /checksum/);
  });

  it('takes ErrorDetails from the error document, or the document itself when it is not one', () => {
    assert.deepEqual(completeError('Sandbox.Timedout', Buffer.from('{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: 1 Error: Task timed out after 1.00 seconds"}')), {
      ErrorCode: 'Sandbox.Timedout', ErrorDetails: 'RequestId: 1 Error: Task timed out after 1.00 seconds',
    });
    assert.deepEqual(completeError(undefined, Buffer.from('not json')), { ErrorCode: 'Unhandled', ErrorDetails: 'not json' });
  });
});
