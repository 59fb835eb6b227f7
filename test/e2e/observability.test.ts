import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { waitFor } from '../helpers/wait-for.ts';
import { removeDataDir, startFlintProcess, type FlintProcess } from '../helpers/flint-process.ts';
import { deploy, invoke } from './invoke-support.ts';

const run = promisify(execFile);
const FLINT = new URL('../../bin/flint.mjs', import.meta.url).pathname;

describe('observability', () => {
  let flint: FlintProcess;
  let client: LambdaClient;
  let name: string;
  before(async () => {
    flint = await startFlintProcess();
    client = flint.client();
    name = (await deploy(client, [{ name: 'index.js', content: `exports.handler = async () => { console.log('visible in logs'); return 1; };` }])).name;
    await invoke(client, name);
    await invoke(client, name);
  });
  after(async () => {
    await flint.stop();
    removeDataDir(flint.dataDir);
  });

  it('shows sandboxes per function and state, the pool and concurrency in /flint/status and flint status', async () => {
    type Status = { sandboxes: Array<{ function: string; idle: number }>; concurrency: { accountLimit: number }; isolation: { driver: string }; pool: Record<string, number>; poolMemoryBytes: number };
    const read = async () => (await (await fetch(`${flint.endpoint}/flint/status`)).json()) as Status;
    const status = await waitFor(async () => {
      const s = await read();
      return s.pool['nodejs22']! > 0 && s;
    }, { timeoutMs: 30_000, everyMs: 50, what: 'the pool refilling after the first cold start' });
    assert.match(status.isolation.driver, /^namespace /, 'Flint serves with the namespace driver (its default), whose cgroups count pool memory');
    assert.ok(status.poolMemoryBytes > 1 << 20, `pool memory counted from its cgroups: ${status.poolMemoryBytes}`);
    const row = status.sandboxes.find((s) => s.function === name);
    assert.equal(row?.idle, 1);
    assert.equal(status.concurrency.accountLimit, 1000);
    const { stdout } = await run(process.execPath, [FLINT, 'status', '--endpoint', flint.endpoint]);
    assert.match(stdout, new RegExp(`${name}:\\$LATEST\\s+idle 1\\s+busy 0`));
    assert.match(stdout, /async queue: \d+ queued/);
    assert.match(stdout, /pool: .*nodejs22=\d.* \(\d+\.\d MiB\)/);
  });

  it('exports invocations, cold starts and durations as Prometheus metrics', async () => {
    const text = await (await fetch(`${flint.endpoint}/metrics`)).text();
    assert.match(text, new RegExp(`flint_invocations_total\\{function="${name}",result="success"\\} 2`));
    assert.match(text, new RegExp(`flint_cold_starts_total\\{function="${name}"\\} 1`));
    assert.match(text, /flint_invoke_duration_seconds_bucket/);
    assert.match(text, /flint_sandboxes\{state="Idle"\} \d+/);
    assert.match(text, /flint_async_queue_depth \d+/);
    assert.match(text, /flint_async_dead_letters \d+/);
    assert.match(text, /flint_pool_memory_bytes \d+/);
  });

  it('prints a function log group with flint logs', async () => {
    const { stdout } = await run(process.execPath, [FLINT, 'logs', name, '--endpoint', flint.endpoint]);
    assert.match(stdout, /START RequestId: [0-9a-f-]+ Version: \$LATEST/);
    assert.match(stdout, /INFO\tvisible in logs/);
    assert.match(stdout, /REPORT RequestId: /);
  });

  it('keeps printing new events of the log group with flint logs --follow', async () => {
    const marked = (await deploy(client, [{ name: 'index.js', content: `exports.handler = async (e) => { console.log('mark', e.n); return 1; };` }])).name;
    const child = spawn(process.execPath, [FLINT, 'logs', marked, '--follow'], { env: { ...process.env, FLINT_ENDPOINT: flint.endpoint } });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const printed = async (text: string) => {
      await waitFor(() => out.includes(text), { timeoutMs: 10_000, everyMs: 50, what: () => `flint logs --follow printed ${JSON.stringify(text)}:\n${out}` });
    };
    try {
      await invoke(client, marked, { n: 1 });
      await printed('mark 1');
      await invoke(client, marked, { n: 2 });
      await printed('mark 2');
      assert.equal(out.split('mark 1').length, 2, 'an event already printed is not printed again');
      assert.equal(child.exitCode, null, 'still following');
    } finally {
      child.kill();
    }
  });
});
