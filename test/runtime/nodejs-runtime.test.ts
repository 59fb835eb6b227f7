/**
 * The Node.js runtime client (src/sandbox-runtime/nodejs) on real Node 20, 22 and 24 binaries,
 * against the real Runtime API server, as plain child processes (no sandbox).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { RuntimeApiServer, RuntimeInitError } from '../../src/worker-host/runtime-api/index.ts';
import { json, startFunction, type StartOptions } from './runtime-harness.ts';
import { waitFor } from '../helpers/wait-for.ts';

const server = new RuntimeApiServer();
after(() => server.close());

type Options = Omit<StartOptions, 'server' | 'runtime'> & { runtime?: string };
const run = (options: Options) => startFunction({ server, runtime: 'nodejs22.x', ...options });

const COUNTER_CJS = `let count = 0;
exports.handler = async (event) => ({ count: count++, node: process.versions.node.split('.')[0], event });`;

for (const [runtime, major] of [['nodejs20.x', '20'], ['nodejs22.x', '22'], ['nodejs24.x', '24']] as const) {
  describe(`${runtime} basics`, () => {
    it(`runs a CommonJS handler on Node ${major}, initialises once and reuses the module while warm`, async () => {
      const fn = await run({ runtime, handler: 'index.handler', files: { 'index.js': COUNTER_CJS } });
      try {
        await fn.session.ready();
        assert.deepEqual(json(await fn.invoke({ a: 1 })), { count: 0, node: major, event: { a: 1 } });
        assert.deepEqual(json(await fn.invoke({ a: 2 })), { count: 1, node: major, event: { a: 2 } });
      } finally {
        await fn.close();
      }
    });

    it(`runs an ES module handler (.mjs) on Node ${major}`, async () => {
      const fn = await run({ runtime, handler: 'app.handler', files: { 'app.mjs': 'export const handler = async (e) => ({ esm: true, e });' } });
      try {
        assert.deepEqual(json(await fn.invoke('x')), { esm: true, e: 'x' });
      } finally {
        await fn.close();
      }
    });
  });
}

describe('nodejs pool cells', () => {
  /** What the cell had done before its handler was loaded: built-ins loaded, warm-up probe loaded. */
  const BEFORE_INIT = [
    "const builtins = process.moduleLoadList.filter((m) => /^NativeModule (crypto|http|https)$/.test(m));",
    "const probe = Object.keys(require.cache).some((file) => file.endsWith('/warm/probe.cjs'));",
    'exports.handler = async () => ({ builtins, probe });',
  ].join('\n');

  it('a cell that waits to be specialised warms up and loads the common built-ins meanwhile, so its function does not', async () => {
    const fn = await run({ handler: 'index.handler', deferSpecialize: true, files: { 'index.js': BEFORE_INIT } });
    try {
      await new Promise((resolve) => setTimeout(resolve, 1000)); // a pooled cell's wait
      fn.specialize();
      assert.deepEqual(json(await fn.invoke({})), { builtins: ['NativeModule crypto', 'NativeModule http', 'NativeModule https'], probe: true });
    } finally {
      await fn.close();
    }
  });

  /** How many invocations the cell rehearsed, and what of them could be left over in the process. */
  const AFTER_REHEARSAL = [
    "const { readdirSync, readlinkSync } = require('node:fs');",
    "const { dirname, join } = require('node:path');",
    "const probe = require('node:url').pathToFileURL(join(dirname(process.argv[1]), 'warm', 'probe.mjs')).href;",
    'exports.handler = async (event, context) => ({',
    '  rehearsals: (await import(probe)).rehearsals,',
    '  requestId: context.awsRequestId,',
    '  traceId: process.env._X_AMZN_TRACE_ID ?? null,',
    "  sockets: readdirSync('/proc/self/fd').filter((fd) => { try { return readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:'); } catch { return false; } }).length,",
    '});',
  ].join('\n');

  it('a cell that waits rehearses invocations through the real invoke loop and client, on its own loopback, and leaves no trace of them', async () => {
    const fn = await run({ runtime: 'nodejs24.x', handler: 'index.handler', deferSpecialize: true, files: { 'index.js': AFTER_REHEARSAL } });
    const atOnce = await run({ runtime: 'nodejs24.x', handler: 'index.handler', files: { 'index.js': AFTER_REHEARSAL } });
    try {
      await new Promise((resolve) => setTimeout(resolve, 1000)); // a pooled cell's wait
      fn.specialize();
      const out = json(await fn.invoke({}, { requestId: 'real-request-1' }));
      const unrehearsed = json(await atOnce.invoke({}, { requestId: 'real-request-1' }));
      assert.equal(unrehearsed.rehearsals, 0, 'a cell specialised as soon as it asks rehearses nothing');
      assert.ok(out.rehearsals >= 10, `rehearsed ${out.rehearsals} invocations`);
      assert.deepEqual({ ...out, rehearsals: 0 }, unrehearsed, 'no request id, trace id or socket of the rehearsal is left');
      assert.deepEqual([...fn.stdout, ...fn.stderr], [], 'the rehearsal wrote nothing');
    } finally {
      await Promise.all([fn.close(), atOnce.close()]);
    }
  });

  it('a cell specialised as soon as it asks (a cold start waiting on it) goes straight to the handler, warming nothing up', async () => {
    const fn = await run({ handler: 'index.handler', files: { 'index.js': BEFORE_INIT } });
    try {
      assert.deepEqual(json(await fn.invoke({})), { builtins: [], probe: false });
    } finally {
      await fn.close();
    }
  });
});

describe('nodejs handler loading', () => {
  const cases: Array<[string, string, Record<string, string>]> = [
    ['a .js file in a "type": "module" package', 'index.handler', {
      'package.json': '{"type":"module"}', 'index.js': 'export const handler = async () => "esm-js";',
    }],
    ['a .cjs file', 'index.handler', { 'index.cjs': 'exports.handler = async () => "cjs";' }],
    ['a nested handler path', 'dir/sub/file.handler', { 'dir/sub/file.js': 'exports.handler = async () => "nested";' }],
    ['a nested export', 'index.api.handler', { 'index.js': 'exports.api = { handler: async () => "deep" };' }],
  ];
  for (const [what, handler, files] of cases) {
    it(`loads ${what}`, async () => {
      const fn = await run({ handler, files });
      try {
        const outcome = await fn.invoke({});
        assert.equal(outcome.functionError, undefined, outcome.payload.toString());
      } finally {
        await fn.close();
      }
    });
  }
});

describe('nodejs context, environment and logs', () => {
  it('gives the handler the full context object and Lambda environment', async () => {
    const fn = await run({
      handler: 'index.handler', memorySizeMb: 512, functionName: 'ctx-fn', userVariables: { TEST_KEY: 'TEST_VAL' },
      files: {
        'index.js': `exports.handler = async (event, context) => ({
          ...context, remaining: context.getRemainingTimeInMillis(), wait: context.callbackWaitsForEmptyEventLoop,
          cwd: process.cwd(), env: process.env });`,
      },
    });
    try {
      const outcome = await fn.invoke({}, {
        clientContext: '{"custom":{"k":"v"}}', cognitoIdentity: '{"cognitoIdentityId":"cid","cognitoIdentityPoolId":"pool"}',
        traceId: 'Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1',
        invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:ctx-fn:$LATEST',
      });
      const ctx = json(outcome);
      assert.equal(ctx.functionName, 'ctx-fn');
      assert.equal(ctx.functionVersion, '$LATEST');
      assert.equal(ctx.invokedFunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:ctx-fn:$LATEST');
      assert.equal(ctx.memoryLimitInMB, '512');
      assert.equal(ctx.awsRequestId, outcome.requestId);
      assert.equal(ctx.logGroupName, '/aws/lambda/ctx-fn');
      assert.match(ctx.logStreamName, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
      assert.deepEqual(ctx.clientContext, { custom: { k: 'v' } });
      assert.deepEqual(ctx.identity, { cognitoIdentityId: 'cid', cognitoIdentityPoolId: 'pool' });
      assert.ok(ctx.remaining > 25_000 && ctx.remaining <= 30_000, String(ctx.remaining));
      assert.equal(ctx.wait, true);
      assert.equal(ctx.cwd, fn.taskRoot);
      assert.equal(ctx.env._HANDLER, 'index.handler');
      assert.equal(ctx.env.LAMBDA_TASK_ROOT, fn.taskRoot);
      assert.equal(ctx.env.AWS_EXECUTION_ENV, 'AWS_Lambda_nodejs22.x');
      assert.equal(ctx.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, '512');
      assert.equal(ctx.env.AWS_REGION, 'us-east-1');
      assert.equal(ctx.env.TZ, ':UTC');
      assert.equal(ctx.env.TEST_KEY, 'TEST_VAL');
      assert.equal(ctx.env._X_AMZN_TRACE_ID, 'Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1');
      const second = json(await fn.invoke({}));
      assert.equal(second.env._X_AMZN_TRACE_ID, undefined, 'a trace id is dropped when the next invocation has none');
    } finally {
      await fn.close();
    }
  });

  it("writes console output as Lambda's TIME\\tREQUEST_ID\\tLEVEL\\tmessage lines", async () => {
    const fn = await run({
      handler: 'index.handler',
      files: {
        'index.js': `console.log('during init');
        exports.handler = async () => { console.log('hello', {a: 1}); console.info('i'); console.warn('w');
          console.error('e'); console.debug('d'); console.log('two\\nlines'); return 1; };`,
      },
    });
    try {
      const { requestId } = await fn.invoke({});
      await waitFor(() => fn.stdout.length >= 7, { what: 'seven log lines' });
      const lines = fn.stdout.map((line) => line.split('\t'));
      const time = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
      for (const [stamp] of lines) assert.match(stamp!, time);
      assert.deepEqual(lines.map((parts) => parts.slice(1)), [
        ['undefined', 'INFO', 'during init'],
        [requestId, 'INFO', 'hello { a: 1 }'],
        [requestId, 'INFO', 'i'],
        [requestId, 'WARN', 'w'],
        [requestId, 'ERROR', 'e'],
        [requestId, 'DEBUG', 'd'],
        [requestId, 'INFO', 'two\rlines'],
      ]);
    } finally {
      await fn.close();
    }
  });
});

describe('nodejs JSON logs (LoggingConfig LogFormat JSON)', () => {
  it("writes console output as AWS's JSON records, keeps a logged object as JSON and drops levels below ApplicationLogLevel", async () => {
    const fn = await run({
      handler: 'index.handler',
      jsonLogLevel: 'INFO',
      files: {
        'index.js': `console.info('during init');
        exports.handler = async () => { console.log({ a: 1, nested: { b: [2] } }); console.debug('dropped'); console.trace('dropped too');
          console.warn('w', 42); console.error(new TypeError('bad')); console.info('two\\nlines'); return 1; };`,
      },
    });
    try {
      const { requestId } = await fn.invoke({});
      await waitFor(() => fn.stdout.length >= 5, { what: 'five log lines' });
      const records = fn.stdout.map((line) => JSON.parse(line) as Record<string, unknown>);
      for (const r of records) assert.match(String(r['timestamp']), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      const strip = ({ timestamp: _t, stackTrace: _s, ...rest }: Record<string, unknown>) => rest;
      assert.deepEqual(records.map(strip), [
        { level: 'INFO', message: 'during init' },
        { level: 'INFO', requestId, message: { a: 1, nested: { b: [2] } } },
        { level: 'WARN', requestId, message: 'w 42' },
        { level: 'ERROR', requestId, message: { errorType: 'TypeError', errorMessage: 'bad', stackTrace: (records[3]!['message'] as { stackTrace: unknown }).stackTrace } },
        { level: 'INFO', requestId, message: 'two\nlines' },
      ]);
      assert.match(String((records[3]!['message'] as { stackTrace: string[] }).stackTrace[0]), /^TypeError: bad/);
    } finally {
      await fn.close();
    }
  });

  it('keeps DEBUG and TRACE at ApplicationLogLevel TRACE and writes only errors at ERROR; a thrown error is one JSON record', async () => {
    const source = `exports.handler = async (e) => { console.trace('t'); console.debug('d'); console.info('i'); console.error('e'); if (e.fail) throw new Error('boom'); return 1; };`;
    for (const [level, expected] of [['TRACE', ['TRACE', 'DEBUG', 'INFO', 'ERROR']], ['ERROR', ['ERROR']]] as const) {
      const fn = await run({ handler: 'index.handler', jsonLogLevel: level, files: { 'index.js': source } });
      try {
        await fn.invoke({});
        await waitFor(() => fn.stdout.length >= expected.length, { what: `${expected.length} log lines` });
        assert.deepEqual(fn.stdout.map((l) => (JSON.parse(l) as { level: string }).level), expected);
        if (level === 'ERROR') {
          await fn.invoke({ fail: true });
          await waitFor(() => fn.stdout.length >= 3, { what: 'the invoke error record' });
          const record = JSON.parse(fn.stdout[2]!) as Record<string, unknown>;
          assert.deepEqual([record['level'], record['errorType'], record['errorMessage']], ['ERROR', 'Error', 'boom']);
          assert.match(String(record['message']), /^Invoke Error Error: boom\n    at /);
          assert.match(String((record['stackTrace'] as string[])[0]), /^Error: boom$/);
        }
      } finally {
        await fn.close();
      }
    }
  });
});

describe('nodejs function errors', () => {
  it('reports a thrown error as {errorType, errorMessage, trace} and keeps serving', async () => {
    const fn = await run({
      handler: 'index.handler',
      files: { 'index.js': 'let n = 0; exports.handler = async () => { if (n++ === 0) throw new TypeError("boom"); return "ok"; };' },
    });
    try {
      const outcome = await fn.invoke({});
      assert.equal(outcome.errorType, 'TypeError');
      const doc = json(outcome);
      assert.equal(doc.errorType, 'TypeError');
      assert.equal(doc.errorMessage, 'boom');
      assert.equal(doc.trace[0], 'TypeError: boom');
      assert.match(doc.trace[1], /index\.js/);
      assert.equal(json(await fn.invoke({})), 'ok');
      await waitFor(() => fn.stdout.some((line) => /\tERROR\tInvoke Error \t\{"errorType":"TypeError","errorMessage":"boom"/.test(line)), { what: 'the Invoke Error log line' });
    } finally {
      await fn.close();
    }
  });

  const initCases: Array<[string, string, Record<string, string>, string, RegExp]> = [
    ['a missing module', 'missing.handler', { 'index.js': '' }, 'Runtime.ImportModuleError', /^Error: Cannot find module 'missing'/],
    ['a missing export', 'index.nope', { 'index.js': 'exports.handler = 1;' }, 'Runtime.HandlerNotFound', /^index\.nope is undefined or not exported$/],
    ['an export that is not a function', 'index.handler', { 'index.js': 'exports.handler = 1;' }, 'Runtime.HandlerNotFound', /^index\.handler is not a function$/],
    ['a syntax error', 'index.handler', { 'index.js': 'exports.handler = async () => {' }, 'Runtime.UserCodeSyntaxError', /^SyntaxError: /],
    ['a malformed handler', 'index', { 'index.js': '' }, 'Runtime.MalformedHandlerName', /^Bad handler$/],
    ['an exception at module level', 'index.handler', { 'index.js': 'throw new Error("init boom");' }, 'Error', /^init boom$/],
    ['a missing import inside an ES module', 'index.handler', { 'index.mjs': 'import "nope-pkg"; export const handler = 1;' }, 'Runtime.ImportModuleError', /nope-pkg/],
  ];
  for (const [what, handler, files, errorType, message] of initCases) {
    it(`fails init with ${errorType} for ${what}, serves it to the waiting invoke and exits`, async () => {
      const fn = await run({ handler, files });
      try {
        const waiting = fn.invoke({});
        await assert.rejects(fn.session.ready(), (err: unknown) => err instanceof RuntimeInitError && err.errorType === errorType);
        const outcome = await waiting;
        const doc = json(outcome);
        assert.equal(doc.errorType, errorType);
        assert.match(doc.errorMessage, message);
        assert.ok(Array.isArray(doc.trace));
        assert.equal((await fn.exited).code, 129);
      } finally {
        await fn.close();
      }
    });
  }

  it('reports an uncaught exception during an invoke to /error and exits 129', async () => {
    const fn = await run({
      handler: 'index.handler',
      files: { 'index.js': 'exports.handler = () => new Promise(() => setTimeout(() => { throw new RangeError("late"); }, 10));' },
    });
    try {
      const doc = json(await fn.invoke({}));
      assert.deepEqual([doc.errorType, doc.errorMessage], ['RangeError', 'late']);
      assert.equal((await fn.exited).code, 129);
    } finally {
      await fn.close();
    }
  });

  it('reports an unhandled rejection as Runtime.UnhandledPromiseRejection and exits 128', async () => {
    const fn = await run({
      handler: 'index.handler',
      files: { 'index.js': 'exports.handler = async () => { Promise.reject(new Error("rej")); await new Promise((r) => setTimeout(r, 200)); return 1; };' },
    });
    try {
      const doc = json(await fn.invoke({}));
      assert.deepEqual([doc.errorType, doc.errorMessage], ['Runtime.UnhandledPromiseRejection', 'Error: rej']);
      assert.equal((await fn.exited).code, 128);
    } finally {
      await fn.close();
    }
  });

  it('turns a process exit during an invoke into Runtime.ExitError (reported by the host)', async () => {
    const fn = await run({ handler: 'index.handler', files: { 'index.js': 'exports.handler = async () => process.exit(0);' } });
    try {
      const outcome = await fn.invoke({});
      assert.deepEqual(json(outcome), {
        errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${outcome.requestId} Error: Runtime exited without providing a reason`,
      });
    } finally {
      await fn.close();
    }
  });
});

describe('nodejs callback handlers', () => {
  const cases: Array<[string, string, unknown]> = [
    ['callback(null, result)', '(e, ctx, cb) => cb(null, { via: "callback" })', { via: 'callback' }],
    ['context.succeed', '(e, ctx) => ctx.succeed("succeeded")', 'succeeded'],
    ['context.done(null, result)', '(e, ctx) => ctx.done(null, 42)', 42],
    ['a synchronous handler that never calls back (null once the loop drains)', '(e) => { setTimeout(() => {}, 20); }', null],
    ['an async handler returning undefined', 'async () => undefined', null],
  ];
  for (const [what, source, expected] of cases) {
    it(`answers ${JSON.stringify(expected)} for ${what}`, async () => {
      const fn = await run({ handler: 'index.handler', files: { 'index.js': `exports.handler = ${source};` } });
      try {
        const outcome = await fn.invoke({});
        assert.equal(outcome.functionError, undefined);
        assert.deepEqual(json(outcome), expected);
      } finally {
        await fn.close();
      }
    });
  }

  it('reports callback(error) as a function error', async () => {
    const fn = await run({ handler: 'index.handler', files: { 'index.js': 'exports.handler = (e, ctx, cb) => cb(new Error("cb failed"));' } });
    try {
      const doc = json(await fn.invoke({}));
      assert.deepEqual([doc.errorType, doc.errorMessage], ['Error', 'cb failed']);
    } finally {
      await fn.close();
    }
  });

  it('waits for the event loop to drain after callback unless callbackWaitsForEmptyEventLoop is false', async () => {
    // The pending timer leaves a mark; whether the response came before or after it is the behaviour.
    const source = `const fs = require('fs');
    exports.handler = (e, ctx, cb) => {
      ctx.callbackWaitsForEmptyEventLoop = e.wait;
      setTimeout(() => fs.writeFileSync(process.env.LAMBDA_TASK_ROOT + '/timer-' + e.id, ''), e.timerMs);
      cb(null, 'done'); };`;
    const fn = await run({ handler: 'index.handler', files: { 'index.js': source } });
    const fired = (id: number) => existsSync(join(fn.taskRoot, `timer-${id}`));
    try {
      assert.equal(json(await fn.invoke({ wait: true, id: 1, timerMs: 300 })), 'done');
      assert.ok(fired(1), 'the response waited for the pending timer');
      assert.equal(json(await fn.invoke({ wait: false, id: 2, timerMs: 60_000 })), 'done');
      assert.ok(!fired(2), 'the response did not wait for the pending timer');
    } finally {
      await fn.close();
    }
  });
});

describe('nodejs response size', () => {
  it('accepts a 6 MiB string and fails a larger response with Function.ResponseSizeTooLarge, then keeps serving', async () => {
    const fn = await run({
      handler: 'index.handler',
      files: { 'index.js': 'exports.handler = async (e) => e === "ok" ? "fine" : "a".repeat(e);' },
    });
    try {
      const limit = await fn.invoke(6 * 1024 * 1024);
      assert.equal(limit.functionError, undefined);
      assert.equal(limit.payload.length, 6 * 1024 * 1024 + 2);
      const tooLarge = await fn.invoke(6 * 1024 * 1024 + 100);
      assert.equal(tooLarge.errorType, 'Function.ResponseSizeTooLarge');
      assert.deepEqual(json(tooLarge), {
        errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
        errorType: 'Function.ResponseSizeTooLarge',
      });
      assert.equal(json(await fn.invoke('ok')), 'fine');
    } finally {
      await fn.close();
    }
  });
});

const STREAMING = `exports.handler = awslambda.streamifyResponse(async (event, stream, context) => {
  stream.setContentType('text/plain');
  stream.write('a;');
  await new Promise((r) => setTimeout(r, 20));
  if (event.mode === 'fail') throw new RangeError('failed after a;');
  if (event.mode === 'unfinished') return undefined;
  stream.write({ json: context.awsRequestId === undefined ? 'no id' : 'id' });
  stream.end(';z');
});
exports.plain = async () => typeof awslambda;`;

/** A sink that records the pieces of a streamed response. */
function recorder() {
  const pieces: Buffer[] = [];
  return { sink: { write: (chunk: Buffer) => void pieces.push(chunk) }, text: () => Buffer.concat(pieces).toString() };
}

for (const [runtime, major] of [['nodejs20.x', '20'], ['nodejs22.x', '22'], ['nodejs24.x', '24']] as const) {
  describe(`${runtime} response streaming`, () => {
    it(`streams a streamifyResponse handler's writes in streaming mode on Node ${major}`, async () => {
      const fn = await run({ runtime, handler: 'index.handler', files: { 'index.js': STREAMING } });
      try {
        const rec = recorder();
        const outcome = await fn.invoke({}, { sink: rec.sink });
        assert.equal(outcome.functionError, undefined);
        assert.equal(outcome.streamed, true);
        assert.equal(outcome.contentType, 'text/plain');
        assert.equal(rec.text(), 'a;{"json":"id"};z');
        // without a sink (a buffered Invoke) the same stream arrives whole
        const buffered = await fn.invoke({});
        assert.equal(buffered.payload.toString(), 'a;{"json":"id"};z');
      } finally {
        await fn.close();
      }
    });

    it(`ends a failing streaming handler's body with the error trailers, and serves the next invocation (Node ${major})`, async () => {
      const fn = await run({ runtime, handler: 'index.handler', files: { 'index.js': STREAMING } });
      try {
        const rec = recorder();
        const failed = await fn.invoke({ mode: 'fail' }, { sink: rec.sink });
        assert.equal(rec.text(), 'a;');
        assert.equal(failed.errorType, 'RangeError');
        const doc = json(failed);
        assert.equal(doc.errorMessage, 'failed after a;');
        assert.ok(Array.isArray(doc.trace) && doc.trace[0] === 'RangeError: failed after a;', doc.trace);
        await waitFor(() => fn.stdout.some((l) => l.includes('\tERROR\tInvoke Error \t{"errorType":"RangeError"')), { what: 'the Invoke Error log line' });
        const unfinished = await fn.invoke({ mode: 'unfinished' }, { sink: recorder().sink });
        assert.equal(json(unfinished).errorMessage, 'Response stream is not finished.');
        const again = recorder();
        assert.equal((await fn.invoke({}, { sink: again.sink })).functionError, undefined);
        assert.equal(again.text(), 'a;{"json":"id"};z');
      } finally {
        await fn.close();
      }
    });
  });
}

describe('the awslambda global', () => {
  it('is there for every handler, and absent with AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA=1', async () => {
    const on = await run({ handler: 'index.plain', files: { 'index.js': STREAMING } });
    const off = await run({ handler: 'index.plain', files: { 'index.js': 'exports.plain = async () => typeof awslambda;' }, userVariables: { AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA: '1' } });
    try {
      assert.equal(json(await on.invoke({})), 'object');
      assert.equal(json(await off.invoke({})), 'undefined');
    } finally {
      await on.close();
      await off.close();
    }
  });
});
