import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { billedDurationMs, logTail, reportLine, startLine, TAIL_BYTES } from './invocation-log.ts';

describe('invocation log lines', () => {
  it('writes START like Lambda', () => {
    assert.equal(startLine('r1', '$LATEST'), 'START RequestId: r1 Version: $LATEST');
  });
  it('writes REPORT with Init Duration only on cold starts', () => {
    const warm = reportLine({ requestId: 'r1', durationMs: 1.234, memorySizeMb: 128, maxMemoryUsedMb: 40 });
    assert.equal(warm, 'REPORT RequestId: r1\tDuration: 1.23 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\t');
    const cold = reportLine({ requestId: 'r1', durationMs: 1, memorySizeMb: 128, maxMemoryUsedMb: 40, initDurationMs: 150 });
    assert.match(cold, /Init Duration: 150\.00 ms\t$/);
  });
  const billing: Array<[number, number]> = [
    [0.2, 1],
    [1, 1],
    [1.01, 2],
    [999.5, 1000],
  ];
  for (const [ms, billed] of billing) {
    it(`bills ${ms} ms as ${billed} ms`, () => assert.equal(billedDurationMs(ms), billed));
  }
  it('keeps only the last 4 KB of a long log, on a character boundary', () => {
    const log = `first\n${'é'.repeat(5000)}\nlast\n`;
    const tail = Buffer.from(logTail(log), 'base64').toString('utf8');
    assert.ok(Buffer.byteLength(tail) <= TAIL_BYTES && Buffer.byteLength(tail) >= TAIL_BYTES - 1, `${Buffer.byteLength(tail)} bytes`);
    assert.match(tail, /^é+\nlast\n$/);
  });
});
