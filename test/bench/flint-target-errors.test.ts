import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorMessages } from '../../bench/targets/flint-target.ts';

test('a failed workload is reported with the messages of the errors the Flint server logged while it ran, oldest first, a repeat once', () => {
  const log = [
    '{"level":50,"time":"2026-12-07T04:00:00.000Z","msg":"an error of an earlier workload"}',
    '{"level":30,"time":"2026-12-07T04:10:00.000Z","msg":"listening"}',
    '{"level":40,"time":"2026-12-07T04:10:00.000Z","msg":"a warning"}',
    '{"level":50,"time":"2026-12-07T04:10:01.000Z","err":{"message":"sandbox s1 failed to start: bwrap: boom\\nmore"},"msg":"invoke failed"}',
    '{"level":50,"time":"2026-12-07T04:10:02.000Z","err":{"message":"sandbox s1 failed to start: bwrap: boom\\nmore"},"msg":"invoke failed"}',
    'not json',
    '{"level":60,"time":"2026-12-07T04:10:03.000Z","msg":"fatal thing"}',
  ].join('\n');
  const workloadStart = Date.parse('2026-12-07T04:10:00.000Z');
  assert.deepEqual(errorMessages(log, workloadStart), ['sandbox s1 failed to start: bwrap: boom', 'fatal thing']);
  assert.equal(errorMessages(log).length, 3, 'without a start, every error');
  assert.deepEqual(errorMessages(''), []);
});
