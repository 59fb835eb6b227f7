/**
 * The Python runtime client (src/sandbox-runtime/python) on the machine's /usr/bin/python3,
 * against the real Runtime API server, as a plain child process (no sandbox).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { RuntimeApiServer, RuntimeInitError } from '../../src/worker-host/runtime-api/index.ts';
import { json, startFunction, type StartOptions } from './runtime-harness.ts';
import { waitFor } from '../helpers/wait-for.ts';

const server = new RuntimeApiServer();
after(() => server.close());

const run = (options: Omit<StartOptions, 'server' | 'runtime'>) => startFunction({ server, runtime: 'python3.12', ...options });

describe('python runtime', () => {
  it('runs handler(event, context), initialises once and reuses the module while warm', async () => {
    const fn = await run({
      handler: 'app.handler',
      files: { 'app.py': 'count = 0\ndef handler(event, context):\n    global count\n    count += 1\n    return {"count": count, "event": event}\n' },
    });
    try {
      await fn.session.ready();
      assert.deepEqual(json(await fn.invoke({ a: 1 })), { count: 1, event: { a: 1 } });
      assert.deepEqual(json(await fn.invoke({ a: 2 })), { count: 2, event: { a: 2 } });
    } finally {
      await fn.close();
    }
  });

  it('gives the handler LambdaContext attributes and the Lambda environment', async () => {
    const fn = await run({
      handler: 'pkg/mod.handler', memorySizeMb: 1024, functionName: 'py-fn', userVariables: { TEST_KEY: 'TEST_VAL' },
      files: {
        'pkg/__init__.py': '',
        'pkg/mod.py': `import os
def handler(event, context):
    return {
        "function_name": context.function_name, "function_version": context.function_version,
        "invoked_function_arn": context.invoked_function_arn, "memory_limit_in_mb": context.memory_limit_in_mb,
        "aws_request_id": context.aws_request_id, "log_group_name": context.log_group_name,
        "log_stream_name": context.log_stream_name, "remaining": context.get_remaining_time_in_millis(),
        "identity_id": context.identity.cognito_identity_id, "custom": context.client_context.custom,
        "cwd": os.getcwd(), "env": dict(os.environ),
    }
`,
      },
    });
    try {
      const outcome = await fn.invoke({}, {
        clientContext: '{"custom":{"k":"v"}}', cognitoIdentity: '{"cognitoIdentityId":"cid","cognitoIdentityPoolId":"pool"}',
        traceId: 'Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Sampled=1',
      });
      const ctx = json(outcome);
      assert.equal(ctx.function_name, 'py-fn');
      assert.equal(ctx.function_version, '$LATEST');
      assert.equal(ctx.invoked_function_arn, 'arn:aws:lambda:us-east-1:000000000000:function:py-fn');
      assert.equal(ctx.memory_limit_in_mb, '1024');
      assert.equal(ctx.aws_request_id, outcome.requestId);
      assert.equal(ctx.log_group_name, '/aws/lambda/py-fn');
      assert.match(ctx.log_stream_name, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
      assert.ok(ctx.remaining > 25_000 && ctx.remaining <= 30_000);
      assert.equal(ctx.identity_id, 'cid');
      assert.deepEqual(ctx.custom, { k: 'v' });
      assert.equal(ctx.cwd, fn.taskRoot);
      assert.equal(ctx.env.AWS_EXECUTION_ENV, 'AWS_Lambda_python3.12');
      assert.equal(ctx.env._HANDLER, 'pkg/mod.handler');
      assert.equal(ctx.env.TEST_KEY, 'TEST_VAL');
      assert.equal(ctx.env._X_AMZN_TRACE_ID, 'Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Sampled=1');
    } finally {
      await fn.close();
    }
  });

  it("writes print output verbatim and logging lines as [LEVEL]\\tTIME\\tREQUEST_ID\\tmessage", async () => {
    const fn = await run({
      handler: 'app.handler',
      files: {
        'app.py': `import logging
logger = logging.getLogger()
logger.setLevel(logging.INFO)
print("during init")
def handler(event, context):
    print("hello", event)
    logger.info("info %s", 1)
    logger.warning("careful")
    return None
`,
      },
    });
    try {
      const outcome = await fn.invoke({ a: 1 });
      assert.equal(outcome.payload.toString(), 'null');
      await waitFor(() => fn.stdout.length >= 4, { what: 'four log lines' });
      assert.equal(fn.stdout[0], 'during init');
      assert.equal(fn.stdout[1], "hello {'a': 1}");
      assert.match(fn.stdout[2]!, new RegExp(`^\\[INFO\\]\\t\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z\\t${outcome.requestId}\\tinfo 1$`));
      assert.match(fn.stdout[3]!, new RegExp(`^\\[WARNING\\]\\t\\S+\\t${outcome.requestId}\\tcareful$`));
    } finally {
      await fn.close();
    }
  });

  it("writes logging records as AWS's JSON records with LogFormat JSON, drops levels below ApplicationLogLevel and keeps print verbatim", async () => {
    const fn = await run({
      handler: 'app.handler',
      jsonLogLevel: 'INFO',
      files: {
        'app.py': `import logging
logger = logging.getLogger()
def handler(event, context):
    print("plain print")
    logger.debug("dropped")
    logger.info("order %s placed", 7, extra={"orderId": 7})
    logging.getLogger("billing").warning("careful")
    try:
        raise KeyError("k")
    except KeyError:
        logger.exception("caught")
    if event.get("fail"):
        raise ValueError("bad value")
    return None
`,
      },
    });
    try {
      const outcome = await fn.invoke({});
      await waitFor(() => fn.stdout.length >= 4, { what: 'four log lines' });
      assert.equal(fn.stdout[0], 'plain print');
      const records = fn.stdout.slice(1).map((l) => JSON.parse(l) as Record<string, unknown>);
      for (const r of records) assert.match(String(r['timestamp']), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.deepEqual(records.map(({ timestamp: _t, stackTrace: _s, location: _l, ...rest }) => rest), [
        { level: 'INFO', message: 'order 7 placed', logger: 'root', requestId: outcome.requestId, orderId: 7 },
        { level: 'WARNING', message: 'careful', logger: 'billing', requestId: outcome.requestId },
        { level: 'ERROR', message: 'caught', logger: 'root', requestId: outcome.requestId, errorType: 'KeyError', errorMessage: "'k'" },
      ]);
      assert.match(String((records[2]!['stackTrace'] as string[])[0]), /app\.py", line 9, in handler/);
      assert.match(String(records[2]!['location']), /app\.py:handler:9$/);
      const failed = await fn.invoke({ fail: true });
      await waitFor(() => fn.stdout.some((l) => l.includes('"log_level"')), { what: 'the error record' });
      const error = JSON.parse(fn.stdout.find((l) => l.includes('"log_level"'))!) as Record<string, unknown>;
      assert.deepEqual([error['log_level'], error['errorType'], error['errorMessage'], error['requestId']], ['ERROR', 'ValueError', 'bad value', failed.requestId]);
    } finally {
      await fn.close();
    }
  });

  it('honours ApplicationLogLevel WARN and TRACE in the logging module', async () => {
    const source = 'import logging\ndef handler(event, context):\n    logging.debug("d")\n    logging.info("i")\n    logging.warning("w")\n    return None\n';
    for (const [level, expected] of [['WARN', ['WARNING']], ['TRACE', ['DEBUG', 'INFO', 'WARNING']]] as const) {
      const fn = await run({ handler: 'app.handler', jsonLogLevel: level, files: { 'app.py': source } });
      try {
        await fn.invoke({});
        await waitFor(() => fn.stdout.length >= expected.length, { what: `${expected.length} log lines` });
        assert.deepEqual(fn.stdout.map((l) => (JSON.parse(l) as { level: string }).level), expected);
      } finally {
        await fn.close();
      }
    }
  });

  it("reports an exception with Lambda's Python error payload and keeps serving", async () => {
    const fn = await run({
      handler: 'app.handler',
      files: { 'app.py': 'n = 0\ndef handler(event, context):\n    global n\n    n += 1\n    if n == 1:\n        raise ValueError("bad value")\n    return "ok"\n' },
    });
    try {
      const outcome = await fn.invoke({});
      assert.equal(outcome.errorType, 'ValueError');
      const doc = json(outcome);
      assert.deepEqual(Object.keys(doc), ['errorMessage', 'errorType', 'requestId', 'stackTrace']);
      assert.deepEqual([doc.errorMessage, doc.errorType, doc.requestId], ['bad value', 'ValueError', outcome.requestId]);
      assert.match(doc.stackTrace[0], /app\.py", line 6, in handler/);
      assert.equal(json(await fn.invoke({})), 'ok');
      await waitFor(() => fn.stdout.some((line) => line.startsWith('[ERROR] ValueError: bad value\rTraceback (most recent call last):')), { what: 'the error log line' });
    } finally {
      await fn.close();
    }
  });

  const initCases: Array<[string, string, Record<string, string>, string, string | RegExp]> = [
    ['a missing module', 'missing.handler', { 'app.py': '' }, 'Runtime.ImportModuleError', "Unable to import module 'missing': No module named 'missing'"],
    ['a missing handler', 'app.nope', { 'app.py': 'x = 1\n' }, 'Runtime.HandlerNotFound', "Handler 'nope' missing on module 'app'"],
    ['a syntax error', 'app.handler', { 'app.py': 'def handler(:\n' }, 'Runtime.UserCodeSyntaxError', /^Syntax error in module 'app': /],
    ['a malformed handler', 'app', { 'app.py': '' }, 'Runtime.MalformedHandlerName', /^Bad handler 'app': /],
    ['an exception at module level', 'app.handler', { 'app.py': 'raise Exception("Runtime startup fails")\n' }, 'Exception', 'Runtime startup fails'],
  ];
  for (const [what, handler, files, errorType, message] of initCases) {
    it(`fails init with ${errorType} for ${what}`, async () => {
      const fn = await run({ handler, files });
      try {
        const waiting = fn.invoke({});
        await assert.rejects(fn.session.ready(), (err: unknown) => err instanceof RuntimeInitError && err.errorType === errorType);
        const doc = json(await waiting);
        assert.equal(doc.errorType, errorType);
        if (typeof message === 'string') assert.equal(doc.errorMessage, message);
        else assert.match(doc.errorMessage, message);
        assert.equal(doc.requestId, '');
        assert.ok(Array.isArray(doc.stackTrace));
        assert.equal((await fn.exited).code, 1);
      } finally {
        await fn.close();
      }
    });
  }

  it('fails an oversize response with Function.ResponseSizeTooLarge', async () => {
    const fn = await run({ handler: 'app.handler', files: { 'app.py': 'def handler(event, context):\n    return "a" * event\n' } });
    try {
      const outcome = await fn.invoke(6 * 1024 * 1024 + 100);
      assert.equal(outcome.errorType, 'Function.ResponseSizeTooLarge');
    } finally {
      await fn.close();
    }
  });
});
