import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { withMachineLock } from './machine-lock.ts';

test('holders of a machine lock run one at a time, in this process and across processes', async () => {
  const name = `flint-test-${randomUUID()}`;
  const order: string[] = [];
  const hold = (label: string) => withMachineLock(name, async () => {
    order.push(`${label}+`);
    await sleep(30);
    order.push(`${label}-`);
  });
  await Promise.all([hold('a'), hold('b'), hold('c')]);
  for (let i = 0; i < order.length; i += 2) assert.equal(order[i]!.slice(0, 1), order[i + 1]!.slice(0, 1), order.join(' '));
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
