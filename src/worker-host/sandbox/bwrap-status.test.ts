import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { BwrapStatus } from './bwrap-status.ts';
import { decodeStatus } from './namespace-sandbox.ts';

test('the status stream gives the sandbox pid 1 and then the runtime\'s exit status, across chunk boundaries', async () => {
  const stream = new PassThrough();
  const status = new BwrapStatus(stream);
  stream.write('{"child-pid": 4');
  stream.write('2, "cgroup-namespace": 1}\n{"unknown": true}\n');
  assert.equal(await status.childPidReady, 42);
  stream.end('{"exit-code": 3}\n');
  assert.equal(await status.exitCode, 3);
});

test('a stream that ends first rejects the pid and gives no exit status', async () => {
  const stream = new PassThrough();
  const status = new BwrapStatus(stream);
  stream.end('not json\n');
  await assert.rejects(status.childPidReady, /ended before/);
  assert.equal(await status.exitCode, undefined);
});

test.describe('shell exit statuses', () => {
  const table: [number, { code: number | null; signal: string | null }][] = [
    [0, { code: 0, signal: null }],
    [3, { code: 3, signal: null }],
    [128, { code: 128, signal: null }],
    [137, { code: null, signal: 'SIGKILL' }],
    [143, { code: null, signal: 'SIGTERM' }],
    [255, { code: 255, signal: null }],
  ];
  for (const [status, expected] of table) test(`${status} is ${JSON.stringify(expected)}`, () => assert.deepEqual(decodeStatus(status), expected));
});
