import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { invocationStatus, platformLogFor } from './platform-log.ts';

const NOW = Date.UTC(2026, 0, 2, 3, 4, 5, 6);
const REPORT = { requestId: 'r1', durationMs: 12.345, memorySizeMb: 128, maxMemoryUsedMb: 70, initDurationMs: 150.126, outcome: 'success' as const };
const INIT = { initializationType: 'on-demand', runtimeVersion: 'nodejs22.x', functionName: 'f', functionVersion: '$LATEST' };

function lines(config: Parameters<typeof platformLogFor>[0]): Array<string | undefined> {
  const log = platformLogFor(config);
  return [log.initStart(INIT, NOW), log.start('r1', '$LATEST', NOW), log.runtimeDone('r1', 'success', 12.345, NOW), log.report(REPORT, NOW)];
}

describe('platform log lines', () => {
  it('writes START, END and REPORT in the text format (no INIT record)', () => {
    assert.deepEqual(lines({ LogFormat: 'Text', LogGroup: 'g' }), [
      undefined,
      'START RequestId: r1 Version: $LATEST',
      'END RequestId: r1',
      'REPORT RequestId: r1\tDuration: 12.35 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\tInit Duration: 150.13 ms\t',
    ]);
  });

  it('writes platform.initStart, platform.start and platform.report records at SystemLogLevel INFO, without platform.runtimeDone', () => {
    const [init, start, done, report] = lines({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'INFO', LogGroup: 'g' });
    const time = '2026-01-02T03:04:05.006Z';
    assert.deepEqual(JSON.parse(init!), { time, type: 'platform.initStart', record: { initializationType: 'on-demand', phase: 'init', runtimeVersion: 'nodejs22.x', functionName: 'f', functionVersion: '$LATEST' } });
    assert.deepEqual(JSON.parse(start!), { time, type: 'platform.start', record: { requestId: 'r1', version: '$LATEST' } });
    assert.equal(done, undefined);
    assert.deepEqual(JSON.parse(report!), {
      time,
      type: 'platform.report',
      record: { requestId: 'r1', metrics: { durationMs: 12.35, billedDurationMs: 13, memorySizeMB: 128, maxMemoryUsedMB: 70, initDurationMs: 150.13 }, status: 'success' },
    });
  });

  it('adds platform.runtimeDone at DEBUG and drops every record at WARN', () => {
    const debug = lines({ LogFormat: 'JSON', SystemLogLevel: 'DEBUG', LogGroup: 'g' });
    assert.deepEqual(JSON.parse(debug[2]!).record, { requestId: 'r1', status: 'success', metrics: { durationMs: 12.35 } });
    assert.deepEqual(lines({ LogFormat: 'JSON', SystemLogLevel: 'WARN', LogGroup: 'g' }), [undefined, undefined, undefined, undefined]);
  });

  for (const [errorType, functionError, status] of [
    [undefined, false, 'success'],
    ['MyError', true, 'failure'],
    ['Sandbox.Timedout', true, 'timeout'],
    ['Runtime.ExitError', true, 'error'],
    ['Runtime.OutOfMemory', true, 'error'],
  ] as const) {
    it(`reports an invocation ending with ${errorType ?? 'no error'} as ${status}`, () => assert.equal(invocationStatus(errorType, functionError), status));
  }
});
