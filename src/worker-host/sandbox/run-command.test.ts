import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { CommandError, runCommand } from './run-command.ts';

test('runs a command off the main thread: stdin in, stdout back, exit codes as asked', async () => {
  assert.equal(await runCommand('cat', [], { input: 'through the command thread\n' }), 'through the command thread\n');
  assert.equal(await runCommand('sh', ['-c', 'echo out; exit 1'], { okCodes: [1] }), 'out\n');
  await assert.rejects(runCommand('sh', ['-c', 'echo bad >&2; exit 3']), (err: unknown) => err instanceof CommandError && err.exitCode === 3 && err.stderr === 'bad\n');
  await assert.rejects(runCommand('/nonexistent/tool', []), /ENOENT/);
  await assert.rejects(runCommand('sleep', ['5'], { timeoutMs: 100 }), (err: unknown) => err instanceof CommandError && /timed out/.test(err.message));
});

test('many commands at once all get their own answer', async () => {
  const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => runCommand('echo', [String(i)])));
  assert.deepEqual(answers, Array.from({ length: 20 }, (_, i) => `${i}\n`));
});
