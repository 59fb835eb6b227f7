import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { withMachineLock } from './machine-lock.ts';

const LOCK_MODULE = new URL('./machine-lock.ts', import.meta.url).href;

/** Holds lock `name` `rounds` times for 20 ms each, appending `label+` and `label-` lines to `log`. */
function holderSource(name: string, log: string, label: string, rounds: number): string {
  return `import { appendFileSync } from 'node:fs';
import { withMachineLock } from ${JSON.stringify(LOCK_MODULE)};
console.log('ready');
await new Promise((r) => process.stdin.once('data', r));
for (let i = 0; i < ${rounds}; i++) {
  await withMachineLock(${JSON.stringify(name)}, async () => {
    appendFileSync(${JSON.stringify(log)}, '${label}+\\n');
    await new Promise((r) => setTimeout(r, 20));
    appendFileSync(${JSON.stringify(log)}, '${label}-\\n');
  });
}
process.exit(0);`;
}

test('holders of a machine lock run one at a time, in this process and across processes', async () => {
  const name = `flint-test-${randomUUID()}`;
  const dir = mkdtempSync(join(tmpdir(), 'flint-lock-test-'));
  const log = join(dir, 'order');
  writeFileSync(log, '');
  try {
    const children = ['p', 'q'].map((label) => spawn(process.execPath, ['--input-type=module', '-e', holderSource(name, log, label, 5)], { stdio: ['pipe', 'pipe', 'inherit'] }));
    await Promise.all(children.map((c) => once(c.stdout!, 'data')));
    const exits = children.map((c) => once(c, 'exit'));
    for (const c of children) c.stdin!.end('go');
    const hold = (label: string) => withMachineLock(name, async () => {
      appendFileSync(log, `${label}+\n`);
      await sleep(20);
      appendFileSync(log, `${label}-\n`);
    });
    await Promise.all(['a', 'b', 'c', 'a', 'b', 'c'].map(hold));
    assert.deepEqual((await Promise.all(exits)).map(([code]) => code), [0, 0]);
    const order = readFileSync(log, 'utf8').trim().split('\n');
    assert.equal(order.length, 2 * (6 + 2 * 5));
    for (let i = 0; i < order.length; i += 2) assert.deepEqual([order[i], order[i + 1]], [`${order[i]![0]}+`, `${order[i]![0]}-`], order.join(' '));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a lock held by a process that dies is free at once, and a lock still held times out with a clear error', async () => {
  const name = `flint-test-${randomUUID()}`;
  const holder = spawn(process.execPath, ['-e', `require('node:net').createServer().listen('\\0${name}', () => console.log('held'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(holder.stdout, 'data');
  await assert.rejects(withMachineLock(name, async () => 'never', 100), /still held by another process/);
  holder.kill('SIGKILL');
  await once(holder, 'exit');
  assert.equal(await withMachineLock(name, async () => 'ran', 1000), 'ran');
});
