import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TUTORIAL_BOOTSTRAP, TUTORIAL_FUNCTION } from '../helpers/custom-runtime-tutorial.ts';
import { useFlint } from '../helpers/flint-process.ts';
import { deploy, invoke } from './invoke-support.ts';

describe('invoking python and provided functions in sandboxes', () => {
  const server = useFlint();

  it('runs a python handler with its context, logs and warm module state', async () => {
    const source = [
      'import os, logging',
      'count = 0',
      'def handler(event, context):',
      '    global count',
      '    count += 1',
      '    print("printed", event["x"])',
      '    return {"count": count, "event": event, "name": context.function_name, "memory": context.memory_limit_in_mb,',
      '            "request": context.aws_request_id, "remaining": context.get_remaining_time_in_millis(),',
      '            "arn": context.invoked_function_arn, "handler": os.environ["_HANDLER"], "cwd": os.getcwd()}',
    ].join('\n');
    const fn = await deploy(server.client, [{ name: 'app.py', content: source }], { Runtime: 'python3.12', Handler: 'app.handler' });
    const a = await invoke(server.client, fn.name, { x: 1 }, { tail: true });
    assert.equal(a.functionError, undefined, a.text);
    assert.equal(a.json.count, 1);
    assert.deepEqual(a.json.event, { x: 1 });
    assert.equal(a.json.name, fn.name);
    assert.equal(a.json.memory, '128');
    assert.equal(a.json.request, a.requestId);
    assert.ok(a.json.remaining > 0);
    assert.equal(a.json.handler, 'app.handler');
    assert.equal(a.json.cwd, '/var/task');
    assert.match(a.log, /printed 1/);
    assert.match(a.log, /REPORT RequestId: .*Init Duration/);
    const b = await invoke(server.client, fn.name, { x: 2 });
    assert.equal(b.json.count, 2);
  });

  it('reports a python exception with errorType, errorMessage and stackTrace', async () => {
    const fn = await deploy(server.client, [{ name: 'app.py', content: 'def handler(event, context):\n    raise ValueError("bad value")\n' }], { Runtime: 'python3.12', Handler: 'app.handler' });
    const r = await invoke(server.client, fn.name);
    assert.equal(r.functionError, 'Unhandled');
    assert.equal(r.json.errorType, 'ValueError');
    assert.equal(r.json.errorMessage, 'bad value');
    assert.ok(Array.isArray(r.json.stackTrace));
  });

  it('reports a missing python module as Runtime.ImportModuleError', async () => {
    const fn = await deploy(server.client, [{ name: 'app.py', content: 'x = 1\n' }], { Runtime: 'python3.12', Handler: 'missing.handler' });
    const r = await invoke(server.client, fn.name);
    assert.equal(r.functionError, 'Unhandled');
    assert.equal(r.json.errorType, 'Runtime.ImportModuleError');
  });

  it("runs AWS's bash-and-curl custom runtime tutorial as published", async () => {
    const fn = await deploy(
      server.client,
      [
        { name: 'bootstrap', content: TUTORIAL_BOOTSTRAP, mode: 0o100755 },
        { name: 'function.sh', content: TUTORIAL_FUNCTION },
      ],
      { Runtime: 'provided.al2023', Handler: 'function.handler' },
    );
    for (let i = 0; i < 2; i++) {
      const r = await invoke(server.client, fn.name, { text: 'hi' });
      assert.equal(r.functionError, undefined, r.text);
      assert.deepEqual(r.json, { statusCode: 200, body: 'Hello from Lambda!' });
    }
  });

  it('reports a provided function without an executable bootstrap as Runtime.ExitError', async () => {
    const fn = await deploy(server.client, [{ name: 'function.sh', content: TUTORIAL_FUNCTION }], { Runtime: 'provided.al2', Handler: 'function.handler' });
    const r = await invoke(server.client, fn.name);
    assert.equal(r.functionError, 'Unhandled');
    assert.match(r.json.errorType, /^Runtime\./);
  });
});
