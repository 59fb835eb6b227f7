import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorMessages } from '../../bench/targets/flint-target.ts';

test('a failed workload is reported with the messages of the errors the Flint server logged, oldest first, a repeat once', () => {
  const log = [
    '{"level":30,"msg":"listening"}',
    '{"level":40,"msg":"a warning"}',
    '{"level":50,"err":{"message":"sandbox s1 failed to start: bwrap: boom\\nmore"},"msg":"invoke failed"}',
    '{"level":50,"err":{"message":"sandbox s1 failed to start: bwrap: boom\\nmore"},"msg":"invoke failed"}',
    'not json',
    '{"level":60,"msg":"fatal thing"}',
  ].join('\n');
  assert.deepEqual(errorMessages(log), ['sandbox s1 failed to start: bwrap: boom', 'fatal thing']);
  assert.deepEqual(errorMessages(''), []);
});
