import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import {
  CreateAliasCommand, InvokeWithResponseStreamCommand, PublishVersionCommand, PutFunctionConcurrencyCommand, ResourceNotFoundException, TooManyRequestsException,
  type InvokeWithResponseStreamCompleteEvent, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { useFlint } from '../helpers/flint-process.ts';
import { deploy, invoke } from './invoke-support.ts';
import { rejectsWith, uniqueName } from './lambda-support.ts';

const js = (source: string) => [{ name: 'index.js', content: source }];

interface Streamed {
  /** Arrival time of each PayloadChunk (performance.now()) and its bytes. */
  readonly chunks: { readonly at: number; readonly bytes: Buffer }[];
  readonly body: Buffer;
  readonly complete: InvokeWithResponseStreamCompleteEvent | undefined;
  /** Arrival time of InvokeComplete. */
  readonly completeAt: number;
  readonly executedVersion: string | undefined;
  readonly statusCode: number | undefined;
}

async function streamInvoke(client: LambdaClient, name: string, payload: unknown = {}, opts: { tail?: boolean; qualifier?: string } = {}): Promise<Streamed> {
  const r = await client.send(new InvokeWithResponseStreamCommand({
    FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)), LogType: opts.tail ? 'Tail' : 'None', Qualifier: opts.qualifier,
  }));
  const chunks: { at: number; bytes: Buffer }[] = [];
  let complete: InvokeWithResponseStreamCompleteEvent | undefined;
  let completeAt = Number.NaN;
  for await (const event of r.EventStream!) {
    if (event.PayloadChunk) chunks.push({ at: performance.now(), bytes: Buffer.from(event.PayloadChunk.Payload ?? new Uint8Array()) });
    if (event.InvokeComplete) {
      complete = event.InvokeComplete;
      completeAt = performance.now();
    }
  }
  return { chunks, body: Buffer.concat(chunks.map((c) => c.bytes)), complete, completeAt, executedVersion: r.ExecutedVersion, statusCode: r.StatusCode };
}

const THREE_CHUNKS = `exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const pause = () => new Promise((r) => setTimeout(r, 300));
  responseStream.setContentType('text/plain');
  responseStream.write('one;');
  await pause();
  responseStream.write('two;');
  await pause();
  responseStream.write('three');
  responseStream.end();
});`;

describe('InvokeWithResponseStream and streaming functions', () => {
  const server = useFlint();

  it('sends the first chunk while the function is still writing (chunks 300 ms apart)', async () => {
    const fn = await deploy(server.client, js(THREE_CHUNKS));
    const r = await streamInvoke(server.client, fn.name);
    assert.equal(r.statusCode, 200);
    assert.equal(r.executedVersion, '$LATEST');
    assert.equal(r.body.toString(), 'one;two;three');
    assert.deepEqual(r.complete, {});
    assert.ok(r.chunks.length >= 3, `${r.chunks.length} chunks`);
    // Ordering, not performance: the first chunk was there before the 600 ms of writing were over.
    const lead = r.completeAt - r.chunks[0]!.at;
    assert.ok(lead >= 200, `the first chunk arrived only ${lead.toFixed(0)} ms before the end`);
  });

  it('returns the buffered body for a plain Invoke of a streaming function', async () => {
    const fn = await deploy(server.client, js(THREE_CHUNKS));
    const r = await invoke(server.client, fn.name);
    assert.equal(r.status, 200);
    assert.equal(r.functionError, undefined);
    assert.equal(r.text, 'one;two;three');
  });

  it('ends a stream whose handler fails after writing with InvokeComplete carrying the error', async () => {
    const fn = await deploy(server.client, js(`exports.handler = awslambda.streamifyResponse(async (event, stream) => {
      stream.write('partial');
      await new Promise((r) => setTimeout(r, 50));
      throw new TypeError('boom mid-stream');
    });`));
    const r = await streamInvoke(server.client, fn.name);
    assert.equal(r.body.toString(), 'partial');
    assert.equal(r.complete?.ErrorCode, 'TypeError');
    assert.equal(r.complete?.ErrorDetails, 'boom mid-stream');
    // the sandbox serves the next invocation
    const again = await streamInvoke(server.client, fn.name);
    assert.equal(again.body.toString(), 'partial');
  });

  it('ends the stream of a function that times out mid-stream with Sandbox.Timedout, and serves the next invocation', async () => {
    const fn = await deploy(server.client, js(`exports.handler = awslambda.streamifyResponse(async (event, stream) => {
      stream.write('before');
      if (event.hang) await new Promise((r) => setTimeout(r, 5000));
      stream.end(';after');
    });`), { Timeout: 1 });
    const r = await streamInvoke(server.client, fn.name, { hang: true });
    assert.equal(r.body.toString(), 'before');
    assert.equal(r.complete?.ErrorCode, 'Sandbox.Timedout');
    assert.match(r.complete?.ErrorDetails ?? '', /Task timed out after 1\.00 seconds/);
    const next = await streamInvoke(server.client, fn.name);
    assert.equal(next.body.toString(), 'before;after');
    assert.deepEqual(next.complete, {});
  });

  it('sends the whole response of a function that does not stream as one chunk, and its errors in InvokeComplete', async () => {
    const fn = await deploy(server.client, js(`exports.handler = async (e) => { if (e.fail) throw new RangeError('no'); return { hello: 'world' }; };`));
    const r = await streamInvoke(server.client, fn.name);
    assert.equal(r.chunks.length, 1);
    assert.deepEqual(JSON.parse(r.body.toString()), { hello: 'world' });
    assert.deepEqual(r.complete, {});
    const failed = await streamInvoke(server.client, fn.name, { fail: true });
    assert.equal(failed.chunks.length, 0);
    assert.equal(failed.complete?.ErrorCode, 'RangeError');
    assert.equal(failed.complete?.ErrorDetails, 'no');
  });

  it('returns the log tail in InvokeComplete with LogType Tail', async () => {
    const fn = await deploy(server.client, js(`exports.handler = awslambda.streamifyResponse(async (event, stream) => {
      console.log('streaming log line');
      stream.end('done');
    });`));
    const r = await streamInvoke(server.client, fn.name, {}, { tail: true });
    assert.equal(r.body.toString(), 'done');
    const log = Buffer.from(r.complete?.LogResult ?? '', 'base64').toString();
    assert.match(log, /^START RequestId: /);
    assert.match(log, /\tINFO\tstreaming log line\n/);
    assert.match(log, /\nREPORT RequestId: .*\n$/);
    const untailed = await streamInvoke(server.client, fn.name);
    assert.equal(untailed.complete?.LogResult, undefined);
  });

  it('streams a response larger than 6 MB', async () => {
    const fn = await deploy(server.client, js(`exports.handler = awslambda.streamifyResponse(async (event, stream) => {
      const piece = Buffer.alloc(64 * 1024, 'x');
      for (let i = 0; i < 112; i++) {
        if (!stream.write(piece)) await new Promise((r) => stream.once('drain', r));
      }
      stream.end();
    });`), { MemorySize: 256 });
    const r = await streamInvoke(server.client, fn.name);
    assert.deepEqual(r.complete, {});
    assert.equal(r.body.length, 112 * 64 * 1024);
    assert.ok(r.body.every((b) => b === 0x78));
  });

  it('writes the HTTP integration prelude of HttpResponseStream.from before the body', async () => {
    const fn = await deploy(server.client, js(`exports.handler = awslambda.streamifyResponse(async (event, stream) => {
      stream = awslambda.HttpResponseStream.from(stream, { statusCode: 201, headers: { 'x-a': 'b' } });
      stream.write('body');
      stream.end();
    });`));
    const r = await streamInvoke(server.client, fn.name);
    const text = r.body.toString('latin1');
    assert.equal(text, `${JSON.stringify({ statusCode: 201, headers: { 'x-a': 'b' } })}${'\0'.repeat(8)}body`);
  });

  it('streams a provided.al2023 bash+curl runtime that posts its response chunked', async () => {
    const bootstrap = `#!/bin/bash
set -euo pipefail
while true; do
  HEADERS="$(mktemp)"
  curl -sS -LD "$HEADERS" -o /dev/null "http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next"
  REQUEST_ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
  { echo one; sleep 1; echo two; sleep 1; echo three; } | curl -sS -o /dev/null -X POST \\
    -H 'Lambda-Runtime-Function-Response-Mode: streaming' -H 'Transfer-Encoding: chunked' -H 'Expect:' \\
    -T - "http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$REQUEST_ID/response"
done
`;
    // chunks 1 s apart (bash and curl at 128 MB's CPU share start slowly on a loaded machine): the first
    // must reach the client at least 1 s before the end, i.e. while the runtime is still writing
    const fn = await deploy(server.client, [{ name: 'bootstrap', content: bootstrap, mode: 0o100755 }], { Runtime: 'provided.al2023', Handler: 'function.handler', Timeout: 15 });
    const r = await streamInvoke(server.client, fn.name);
    assert.equal(r.body.toString(), 'one\ntwo\nthree\n');
    assert.deepEqual(r.complete, {});
    const lead = r.completeAt - r.chunks[0]!.at;
    assert.ok(lead >= 1000, `the first chunk arrived only ${lead.toFixed(0)} ms before the end`);
    const buffered = await invoke(server.client, fn.name);
    assert.equal(buffered.text, 'one\ntwo\nthree\n');
  });

  it("answers an unknown function and a throttled one with the SDK's exceptions", async () => {
    const missing = uniqueName('nofn');
    await rejectsWith(streamInvoke(server.client, missing), ResourceNotFoundException, 404, /^Function not found: arn:aws:lambda:us-east-1:000000000000:function:/);
    const fn = await deploy(server.client, js(THREE_CHUNKS));
    await server.client.send(new PutFunctionConcurrencyCommand({ FunctionName: fn.name, ReservedConcurrentExecutions: 0 }));
    await rejectsWith(streamInvoke(server.client, fn.name), TooManyRequestsException, 429, 'Rate Exceeded.');
  });

  it('resolves qualifiers as Invoke does and names the executed version', async () => {
    const fn = await deploy(server.client, js(THREE_CHUNKS));
    const v = await server.client.send(new PublishVersionCommand({ FunctionName: fn.name }));
    await server.client.send(new CreateAliasCommand({ FunctionName: fn.name, Name: 'live', FunctionVersion: v.Version }));
    const r = await streamInvoke(server.client, fn.name, {}, { qualifier: 'live' });
    assert.equal(r.executedVersion, v.Version);
    assert.equal(r.body.toString(), 'one;two;three');
    await rejectsWith(streamInvoke(server.client, fn.name, {}, { qualifier: 'nope' }), ResourceNotFoundException, 404, /function:.*:nope$/);
  });

  it('answers DryRun with 204 and refuses the Event invocation type', async () => {
    const fn = await deploy(server.client, js(THREE_CHUNKS));
    const dry = await server.client.send(new InvokeWithResponseStreamCommand({ FunctionName: fn.name, InvocationType: 'DryRun' }));
    assert.equal(dry.StatusCode, 204);
    await rejectsWith(
      server.client.send(new InvokeWithResponseStreamCommand({ FunctionName: fn.name, InvocationType: 'Event' as 'DryRun' })),
      'ValidationException', 400, /Member must satisfy enum value set: \[RequestResponse, DryRun\]/,
    );
  });
});
