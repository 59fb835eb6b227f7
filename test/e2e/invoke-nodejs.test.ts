import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useFlint } from '../helpers/flint-process.ts';
import { deploy, invoke } from './invoke-support.ts';
import { arnOf } from './lambda-support.ts';

const js = (source: string) => [{ name: 'index.js', content: source }];

describe('invoking nodejs functions in sandboxes', () => {
  const server = useFlint();

  it('returns the result with the context and the Lambda environment', async () => {
    const fn = await deploy(
      server.client,
      js(`exports.handler = async (event, context) => ({
        event, version: process.version, requestId: context.awsRequestId, name: context.functionName,
        fnVersion: context.functionVersion, arn: context.invokedFunctionArn, memory: context.memoryLimitInMB,
        remaining: context.getRemainingTimeInMillis(), group: context.logGroupName, stream: context.logStreamName,
        cc: context.clientContext, cwd: process.cwd(),
        env: Object.fromEntries(['_HANDLER','LAMBDA_TASK_ROOT','AWS_LAMBDA_FUNCTION_NAME','AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
          'AWS_LAMBDA_FUNCTION_VERSION','AWS_REGION','AWS_EXECUTION_ENV','AWS_LAMBDA_LOG_GROUP_NAME','AWS_LAMBDA_LOG_STREAM_NAME',
          'TZ','LANG','AWS_LAMBDA_INITIALIZATION_TYPE','AWS_LAMBDA_RUNTIME_API','MY_VAR','NODE_EXTRA_CA_CERTS'].map((k) => [k, process.env[k]])),
      });`),
      { MemorySize: 256, Environment: { Variables: { MY_VAR: 'mine' } } },
    );
    const cc = Buffer.from(JSON.stringify({ custom: { a: 1 } })).toString('base64');
    const r = await invoke(server.client, fn.name, { hello: 'world' }, { clientContext: cc });
    assert.equal(r.status, 200);
    assert.equal(r.functionError, undefined);
    assert.equal(r.executedVersion, '$LATEST');
    const o = r.json;
    assert.deepEqual(o.event, { hello: 'world' });
    assert.match(o.version, /^v22\./);
    assert.equal(o.requestId, r.requestId);
    assert.equal(o.name, fn.name);
    assert.equal(o.fnVersion, '$LATEST');
    assert.equal(o.arn, arnOf(fn.name));
    assert.equal(o.memory, '256');
    assert.ok(o.remaining > 8000 && o.remaining <= 10000, `remaining ${o.remaining}`);
    assert.equal(o.group, `/aws/lambda/${fn.name}`);
    assert.match(o.stream, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.deepEqual(o.cc?.custom, { a: 1 });
    assert.equal(o.cwd, '/var/task');
    assert.equal(o.env._HANDLER, 'index.handler');
    assert.equal(o.env.LAMBDA_TASK_ROOT, '/var/task');
    assert.equal(o.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, '256');
    assert.equal(o.env.AWS_LAMBDA_FUNCTION_VERSION, '$LATEST');
    assert.equal(o.env.AWS_REGION, 'us-east-1');
    assert.equal(o.env.AWS_EXECUTION_ENV, 'AWS_Lambda_nodejs22.x');
    assert.equal(o.env.TZ, ':UTC');
    assert.equal(o.env.LANG, 'en_US.UTF-8');
    assert.equal(o.env.AWS_LAMBDA_INITIALIZATION_TYPE, 'on-demand');
    assert.equal(o.env.AWS_LAMBDA_RUNTIME_API, '127.0.0.1:9001', 'the Runtime API on the sandbox\'s own loopback, as in Lambda');
    assert.equal(o.env.NODE_CHANNEL_FD, undefined, 'Flint\'s channel to the supervisor is not the runtime\'s');
    assert.equal(o.env.MY_VAR, 'mine');
    assert.equal(o.env.NODE_EXTRA_CA_CERTS, undefined);
  });

  it('returns the log tail with START, the console line format, END and REPORT, and only the last 4 KB of a longer log', async () => {
    const fn = await deploy(server.client, js(`exports.handler = async (e) => {
      console.log('hello', { a: 1 }); console.error('oops');
      for (let i = 1; i <= (e.lines ?? 0); i++) console.log('line ' + String(i).padStart(4, '0') + ' ' + 'x'.repeat(80));
      return 1; };`));
    const r = await invoke(server.client, fn.name, {}, { tail: true });
    const id = r.requestId!;
    const lines = r.log.replace(/\n$/, '').split('\n');
    assert.equal(lines[0], `START RequestId: ${id} Version: $LATEST`);
    assert.ok(lines.some((l) => new RegExp(`^\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z\\t${id}\\tINFO\\thello { a: 1 }$`).test(l)), r.log);
    assert.ok(lines.some((l) => l.endsWith(`\t${id}\tERROR\toops`)), r.log);
    assert.ok(lines.includes(`END RequestId: ${id}`));
    const report = lines.at(-1)!;
    assert.match(report, new RegExp(`^REPORT RequestId: ${id}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: [\\d.]+ ms\\t$`));
    const maxUsed = Number(/Max Memory Used: (\d+)/.exec(report)![1]);
    assert.ok(maxUsed > 5 && maxUsed <= 128, `Max Memory Used ${maxUsed}`);
    // About 10 KB of log: the tail is its last 4 KB, ending with the last lines.
    const warm = await invoke(server.client, fn.name, { lines: 100 }, { tail: true });
    assert.doesNotMatch(warm.log, /Init Duration/);
    const size = Buffer.byteLength(warm.log);
    assert.ok(size <= 4096 && size > 3500, `the tail is ${size} bytes`);
    assert.doesNotMatch(warm.log, /^START|\tline 0001 /m, 'the start of the log was cut');
    const tail = warm.log.replace(/\n$/, '').split('\n');
    assert.match(tail.at(-3)!, new RegExp(`\\t${warm.requestId}\\tINFO\\tline 0100 x{80}$`));
    assert.equal(tail.at(-2), `END RequestId: ${warm.requestId}`);
    assert.match(tail.at(-1)!, new RegExp(`^REPORT RequestId: ${warm.requestId}\\t`));
  });

  it('runs the init phase once and reuses the warm sandbox', async () => {
    const fn = await deploy(server.client, js(`let n = 0; const started = Date.now(); exports.handler = async () => ({ n: n++, started });`));
    const a = await invoke(server.client, fn.name);
    const b = await invoke(server.client, fn.name);
    assert.equal(a.json.n, 0);
    assert.equal(b.json.n, 1);
    assert.equal(a.json.started, b.json.started);
  });

  it('reports a thrown error as Unhandled with errorType, errorMessage and trace', async () => {
    const fn = await deploy(server.client, js(`exports.handler = async () => { const e = new TypeError('boom'); throw e; };`));
    const r = await invoke(server.client, fn.name);
    assert.equal(r.status, 200);
    assert.equal(r.functionError, 'Unhandled');
    assert.equal(r.json.errorType, 'TypeError');
    assert.equal(r.json.errorMessage, 'boom');
    assert.ok(Array.isArray(r.json.trace) && r.json.trace[0].startsWith('TypeError: boom'));
  });

  it('reports a missing module as Runtime.ImportModuleError and a missing export as Runtime.HandlerNotFound', async () => {
    const missing = await deploy(server.client, js(`exports.other = 1;`), { Handler: 'nope.handler' });
    const r1 = await invoke(server.client, missing.name);
    assert.equal(r1.functionError, 'Unhandled');
    assert.equal(r1.json.errorType, 'Runtime.ImportModuleError');
    const noExport = await deploy(server.client, js(`exports.other = 1;`));
    const r2 = await invoke(server.client, noExport.name);
    assert.equal(r2.json.errorType, 'Runtime.HandlerNotFound');
    assert.equal(r2.json.errorMessage, 'index.handler is undefined or not exported');
  });

  it('ends a handler past its timeout with Sandbox.Timedout and starts fresh afterwards', async () => {
    const fn = await deploy(server.client, js(`let n = 0; exports.handler = async (e) => { n++; if (e.hang) await new Promise(() => setInterval(() => {}, 1000)); return n; };`), { Timeout: 1 });
    const r = await invoke(server.client, fn.name, { hang: true });
    assert.equal(r.functionError, 'Unhandled');
    assert.equal(r.json.errorType, 'Sandbox.Timedout');
    assert.equal(r.json.errorMessage, `RequestId: ${r.requestId} Error: Task timed out after 1.00 seconds`);
    const after = await invoke(server.client, fn.name, {});
    assert.equal(after.json, 1, 'module state was reset with the runtime');
  });

  it('reports a process that exits as Runtime.ExitError', async () => {
    const fn = await deploy(server.client, js(`exports.handler = async () => { process.exit(3); };`));
    const r = await invoke(server.client, fn.name);
    assert.equal(r.functionError, 'Unhandled');
    assert.equal(r.json.errorType, 'Runtime.ExitError');
    assert.equal(r.json.errorMessage, `RequestId: ${r.requestId} Error: Runtime exited with error: exit status 3`);
  });

  it('kills a handler that allocates past its memory with Runtime.OutOfMemory', async () => {
    const fn = await deploy(server.client, js(`exports.handler = async () => { const keep = []; for (;;) keep.push(Buffer.alloc(16 * 1024 * 1024, 1)); };`), { MemorySize: 128 });
    const r = await invoke(server.client, fn.name);
    assert.equal(r.functionError, 'Unhandled');
    assert.equal(r.json.errorType, 'Runtime.OutOfMemory');
    const fine = await deploy(server.client, js(`exports.handler = async () => 'still serving';`));
    assert.equal((await invoke(server.client, fine.name)).json, 'still serving');
  });

  it('refuses a response over 6 MB with Function.ResponseSizeTooLarge', async () => {
    const fn = await deploy(server.client, js(`exports.handler = async () => 'a'.repeat(7 * 1024 * 1024);`));
    const r = await invoke(server.client, fn.name);
    assert.equal(r.functionError, 'Unhandled');
    assert.equal(r.json.errorType, 'Function.ResponseSizeTooLarge');
  });

  it('gives concurrent invocations separate sandboxes with a private /tmp each', async () => {
    const fn = await deploy(
      server.client,
      js(`const fs = require('fs'); exports.handler = async (e) => {
        const had = fs.existsSync('/tmp/mark'); fs.writeFileSync('/tmp/mark', e.id); await new Promise((r) => setTimeout(r, 500));
        return { had, mine: fs.readFileSync('/tmp/mark', 'utf8') };
      };`),
    );
    const [a, b] = await Promise.all([invoke(server.client, fn.name, { id: 'a' }), invoke(server.client, fn.name, { id: 'b' })]);
    assert.deepEqual([a.json.had, b.json.had], [false, false]);
    assert.equal(a.json.mine, 'a');
    assert.equal(b.json.mine, 'b');
  });

  it('runs ESM handlers in nested paths', async () => {
    const fn = await deploy(server.client, [{ name: 'src/app/main.mjs', content: `export const go = async (e) => ({ esm: true, e });` }], { Handler: 'src/app/main.go' });
    const r = await invoke(server.client, fn.name, { x: 1 });
    assert.deepEqual(r.json, { esm: true, e: { x: 1 } });
  });
});
