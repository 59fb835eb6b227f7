/**
 * After a timeout or a runtime exit, Lambda keeps the execution environment and only
 * restarts the runtime in it: the next invoke finds what the failed one wrote to /tmp,
 * and its REPORT carries the Init Duration of the fresh init phase.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useFlint } from '../helpers/flint-process.ts';
import { deploy, invoke } from './invoke-support.ts';

const js = (source: string) => [{ name: 'index.js', content: source }];

const NODE_HANDLER = `
const fs = require('node:fs');
let invocations = 0;
exports.handler = async (event) => {
  invocations++;
  if (event.write) fs.writeFileSync('/tmp/x', event.write);
  if (event.hang) await new Promise(() => setInterval(() => {}, 1000));
  if (event.exit) process.exit(1);
  if (event.orphan) require('node:child_process').spawn('sleep', ['600'], { detached: true, stdio: 'ignore' }).unref();
  return { tmp: fs.existsSync('/tmp/x') ? fs.readFileSync('/tmp/x', 'utf8') : null, invocations, pid: process.pid,
    sleepers: fs.readdirSync('/proc').filter((p) => /^\\d+$/.test(p)).filter((p) => { try { return fs.readFileSync('/proc/' + p + '/comm', 'utf8').trim() === 'sleep'; } catch { return false; } }).length };
};`;

describe('a timeout or a runtime exit restarts the runtime in the same environment', () => {
  const server = useFlint();

  it('keeps /tmp after a Sandbox.Timedout and runs a fresh init phase for the next invoke', async () => {
    const fn = await deploy(server.client, js(NODE_HANDLER), { Timeout: 1 });
    const timedOut = await invoke(server.client, fn.name, { write: 'before the timeout', hang: true });
    assert.equal(timedOut.functionError, 'Unhandled');
    assert.equal(timedOut.json.errorType, 'Sandbox.Timedout');
    const next = await invoke(server.client, fn.name, {}, { tail: true });
    assert.equal(next.functionError, undefined, next.text);
    assert.equal(next.json.tmp, 'before the timeout');
    assert.equal(next.json.invocations, 1, 'the runtime was restarted: module state is fresh');
    assert.match(next.log, /REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms/);
    const warm = await invoke(server.client, fn.name, {}, { tail: true });
    assert.equal(warm.json.invocations, 2);
    assert.doesNotMatch(warm.log, /Init Duration/);
  });

  it('keeps /tmp after a Runtime.ExitError and runs a fresh init phase for the next invoke', async () => {
    const fn = await deploy(server.client, js(NODE_HANDLER));
    const exited = await invoke(server.client, fn.name, { write: 'before the exit', exit: true });
    assert.equal(exited.functionError, 'Unhandled');
    assert.equal(exited.json.errorType, 'Runtime.ExitError');
    const next = await invoke(server.client, fn.name, {}, { tail: true });
    assert.equal(next.functionError, undefined, next.text);
    assert.equal(next.json.tmp, 'before the exit');
    assert.equal(next.json.invocations, 1);
    assert.match(next.log, /REPORT RequestId: .*Init Duration: [\d.]+ ms/);
  });

  it('ends every process the old runtime left behind when it restarts it', async () => {
    const fn = await deploy(server.client, js(NODE_HANDLER), { Timeout: 1 });
    const spawned = await invoke(server.client, fn.name, { orphan: true });
    assert.equal(spawned.functionError, undefined, spawned.text);
    const counted = await invoke(server.client, fn.name, {});
    assert.equal(counted.json.sleepers, 1, 'positive control: the orphan runs beside the runtime');
    const timedOut = await invoke(server.client, fn.name, { write: 'kept', hang: true });
    assert.equal(timedOut.json.errorType, 'Sandbox.Timedout');
    const next = await invoke(server.client, fn.name, {});
    assert.equal(next.json.tmp, 'kept');
    assert.equal(next.json.sleepers, 0);
    assert.notEqual(next.json.pid, counted.json.pid);
  });

  it('keeps /tmp of a python function after a Sandbox.Timedout', async () => {
    const source = [
      'import os, time',
      'count = 0',
      'def handler(event, context):',
      '    global count',
      '    count += 1',
      '    if "write" in event:',
      '        open("/tmp/x", "w").write(event["write"])',
      '    if event.get("hang"):',
      '        time.sleep(600)',
      '    return {"tmp": open("/tmp/x").read() if os.path.exists("/tmp/x") else None, "count": count}',
    ].join('\n');
    const fn = await deploy(server.client, [{ name: 'app.py', content: source }], { Runtime: 'python3.12', Handler: 'app.handler', Timeout: 1 });
    const timedOut = await invoke(server.client, fn.name, { write: 'python was here', hang: true });
    assert.equal(timedOut.json.errorType, 'Sandbox.Timedout');
    const next = await invoke(server.client, fn.name, {}, { tail: true });
    assert.equal(next.functionError, undefined, next.text);
    assert.deepEqual(next.json, { tmp: 'python was here', count: 1 });
    assert.match(next.log, /Init Duration: [\d.]+ ms/);
  });
});
