import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CpuIdleSampler, idleShare, readCpuTimes } from './cpu-idle.ts';

describe('cpu idle share', () => {
  it('sums every CPU and every kind of time', () => {
    const times = readCpuTimes([{ times: { user: 10, nice: 0, sys: 5, idle: 80, irq: 5 } }, { times: { user: 50, nice: 0, sys: 0, idle: 50, irq: 0 } }]);
    assert.deepEqual(times, { idle: 130, total: 200 });
  });

  it('answers the idle share between two readings, 1 when no time passed', () => {
    assert.equal(idleShare({ idle: 100, total: 200 }, { idle: 150, total: 400 }), 0.25);
    assert.equal(idleShare({ idle: 100, total: 200 }, { idle: 100, total: 200 }), 1);
  });

  it('reads the counters again only after its minimum span', async () => {
    let reads = 0;
    const sampler = new CpuIdleSampler(20, () => ({ idle: ++reads * 10, total: reads * 40 }));
    assert.equal(sampler.idleShare(), 1, 'too soon: the initial figure');
    await new Promise((r) => setTimeout(r, 25));
    assert.equal(sampler.idleShare(), 0.25);
    assert.equal(reads, 2);
  });
});
