import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { currentLimit, FunctionPacer, initialPace, paceAfterAdmission, paceAfterRejection, type PaceState } from './function-pacer.ts';

describe('function pace', () => {
  const cases: Array<[string, () => PaceState, number, number]> = [
    ['starts at the full number of pollers', () => initialPace(64), 0, 64],
    ['pauses a function for the backoff after a throttle', () => paceAfterRejection(initialPace(64), 3, 1000, 500), 1499, 0],
    ['resumes at the concurrency that was running when throttled', () => paceAfterRejection(initialPace(64), 3, 1000, 500), 1500, 3],
    ['keeps at least one delivery for a function throttled with nothing running', () => paceAfterRejection(initialPace(64), 0, 0, 10), 10, 1],
    ['raises the cap by one per admitted attempt', () => paceAfterAdmission(paceAfterRejection(initialPace(64), 3, 0, 0), 64), 0, 4],
    ['never raises the cap past the pollers', () => paceAfterAdmission(initialPace(64), 64), 0, 64],
  ];
  for (const [name, make, now, expected] of cases) it(name, () => assert.equal(currentLimit(make(), now), expected));

  it('counts rejections in a row and resets on admission', () => {
    const twice = paceAfterRejection(paceAfterRejection(initialPace(8), 0, 0, 1), 0, 1, 2);
    assert.equal(twice.streak, 2);
    assert.equal(paceAfterAdmission(twice, 8).streak, 0);
  });
});

describe('FunctionPacer', () => {
  it('tracks functions separately and reports the next resume time', () => {
    const pacer = new FunctionPacer(4);
    pacer.rejected('a', 0, 100, 50);
    pacer.rejected('b', 0, 100, 20);
    assert.equal(pacer.limit('a', 120), 0);
    assert.equal(pacer.limit('b', 120), 1);
    assert.equal(pacer.limit('c', 120), 4);
    assert.equal(pacer.nextResumeMs(100), 120);
    assert.equal(pacer.nextResumeMs(130), 150);
    assert.equal(pacer.nextResumeMs(150), undefined);
  });

  it('forgets a function once it is back at full speed', () => {
    const pacer = new FunctionPacer(2);
    pacer.rejected('a', 1, 0, 0);
    pacer.admitted('a');
    assert.equal(pacer.state('a').limit, 2);
    assert.equal(pacer.state('a').streak, 0);
  });
});
