import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CgroupV1Hierarchy } from './cgroup-v1.ts';
import { CgroupV2Hierarchy } from './cgroup-v2.ts';
import { BACKGROUND_CPU_SHARES, BACKGROUND_CPU_WEIGHT, CFS_MIN_QUOTA_US, CFS_PERIOD_US, cfsBandwidth, changedLimits, readCgroupMounts } from './cgroups.ts';
import { cgroupVersionOf } from './detect-sandbox-support.ts';

const hybrid = [
  '35 26 0:30 / /sys/fs/cgroup/cpu rw,relatime shared:11 - cgroup cgroup rw,cpu',
  '36 26 0:31 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct',
  '37 26 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
  '38 26 0:33 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids',
  '39 26 0:34 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
].join('\n');

const comounted = [
  '35 26 0:30 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct',
  '37 26 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory',
].join('\n');

test('cgroup v1 controllers are found where they are mounted, co-mounted ones in one directory', () => {
  const mounts = readCgroupMounts(hybrid);
  assert.equal(mounts.v1.get('memory'), '/sys/fs/cgroup/memory');
  assert.equal(mounts.v1.get('cpuacct'), '/sys/fs/cgroup/cpuacct');
  assert.equal(mounts.v2?.dir, '/sys/fs/cgroup/unified');
  assert.equal(cgroupVersionOf(mounts), 1);
  const co = readCgroupMounts(comounted);
  assert.equal(co.v1.get('cpu'), '/sys/fs/cgroup/cpu,cpuacct');
  assert.equal(co.v1.get('cpuacct'), '/sys/fs/cgroup/cpu,cpuacct');
});

test('cgroup v2 is used only when its hierarchy offers memory, cpu and pids', () => {
  assert.equal(cgroupVersionOf({ v1: new Map(), v2: { dir: '/sys/fs/cgroup', controllers: ['cpuset', 'cpu', 'io', 'memory', 'pids'] } }), 2);
  assert.equal(cgroupVersionOf({ v1: new Map(), v2: { dir: '/sys/fs/cgroup/unified', controllers: [] } }), undefined);
  assert.equal(cgroupVersionOf(readCgroupMounts(comounted)), undefined, 'no pids controller');
});

test('CPU limits become a CFS quota over the base period, lengthened only where the quota would fall under the kernel minimum of 1 ms', () => {
  const cases: ReadonlyArray<readonly [cpuMillis: number, periodUs: number, quotaUs: number]> = [
    [1000, 100_000, 100_000], // 1769 MB: one vCPU
    [5790, 100_000, 579_000], // 10240 MB: several vCPUs
    [72, 100_000, 7_200], // 128 MB: 72 thousandths of a vCPU
    [10, 100_000, 1_000], // exactly the minimum quota at the base period
    [5, 200_000, 1_000], // under it: a longer period keeps the share exact
    [1, 1_000_000, 1_000], // the longest period the kernel accepts
  ];
  for (const [cpuMillis, periodUs, quotaUs] of cases) {
    const bandwidth = cfsBandwidth(cpuMillis);
    assert.deepEqual(bandwidth, { periodUs, quotaUs }, `${cpuMillis} thousandths of a CPU`);
    assert.ok(bandwidth.quotaUs >= CFS_MIN_QUOTA_US && bandwidth.periodUs >= CFS_PERIOD_US);
    assert.ok(Math.abs(bandwidth.quotaUs / bandwidth.periodUs - cpuMillis / 1000) < 0.001, 'the share stays proportional to the limit');
  }
});

test('a group\'s limits are written only where they change', () => {
  const base = { memoryMb: 512, cpuMillis: 1000, pidsMax: 1024, tmpSizeMb: 512 };
  assert.deepEqual(changedLimits(undefined, base), { memory: true, cpu: true, cpuWeight: true, pids: true }, 'the first apply writes everything');
  assert.deepEqual(changedLimits(base, { ...base, tmpSizeMb: 64 }), { memory: false, cpu: false, cpuWeight: false, pids: false }, '/tmp is not a cgroup limit');
  assert.deepEqual(changedLimits(base, { ...base, memoryMb: 1769 }), { memory: true, cpu: false, cpuWeight: false, pids: false });
  assert.deepEqual(changedLimits(base, { ...base, cpuMillis: 72, pidsMax: 10 }), { memory: false, cpu: true, cpuWeight: true, pids: true });
  const waiting = { ...base, background: true };
  assert.deepEqual(changedLimits(base, waiting), { memory: false, cpu: false, cpuWeight: true, pids: false }, 'to the background: the weight alone');
  assert.deepEqual(changedLimits(waiting, { ...base, memoryMb: 1769 }), { memory: true, cpu: false, cpuWeight: true, pids: false }, 'specialised: the weight comes back');
});

test('a cell waiting in the pool gets the lowest CPU weight, and its specialization the weight of its limits (v1 and v2)', () => {
  const root = mkdtempSync(join(tmpdir(), 'flint-cgroup-weight-'));
  try {
    const file = (rel: string) => readFileSync(`${root}/${rel}`, 'utf8');
    const pool = { memoryMb: 512, cpuMillis: 1000, pidsMax: 1024, tmpSizeMb: 512 };
    const v1 = new CgroupV1Hierarchy({ v1: new Map([['memory', `${root}/memory`], ['cpu', `${root}/cpu`], ['cpuacct', `${root}/cpu`], ['pids', `${root}/pids`]]), v2: undefined }, 'flint-test');
    v1.open();
    const g1 = v1.create('s1');
    g1.apply(pool);
    assert.equal(file('cpu/flint-test/s1/cpu.shares'), '1024', 'a starting cell: a full CPU\'s weight');
    writeFileSync(`${root}/cpu/flint-test/s1/cpu.cfs_quota_us`, 'untouched');
    g1.apply({ ...pool, background: true });
    assert.equal(file('cpu/flint-test/s1/cpu.shares'), String(BACKGROUND_CPU_SHARES));
    assert.equal(file('cpu/flint-test/s1/cpu.cfs_quota_us'), 'untouched', 'the quota stays');
    g1.apply({ ...pool, memoryMb: 128, cpuMillis: 72 });
    assert.equal(file('cpu/flint-test/s1/cpu.shares'), '74', 'proportional to the function\'s CPU');

    writeFileSync(`${root}/cgroup.subtree_control`, '');
    const v2 = new CgroupV2Hierarchy(root, 'flint-v2');
    v2.open();
    const g2 = v2.create('s2');
    g2.apply(pool);
    assert.throws(() => file('flint-v2/s2/cpu.weight'), 'the kernel\'s default weight is left alone');
    g2.apply({ ...pool, background: true });
    assert.equal(file('flint-v2/s2/cpu.weight'), String(BACKGROUND_CPU_WEIGHT));
    g2.apply({ ...pool, memoryMb: 1769 });
    assert.equal(file('flint-v2/s2/cpu.weight'), '100');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('applying limits to a group rewrites only the files of the limits that changed (v1 and v2)', () => {
  const root = mkdtempSync(join(tmpdir(), 'flint-cgroup-files-'));
  try {
    const v1 = new CgroupV1Hierarchy({ v1: new Map([['memory', `${root}/memory`], ['cpu', `${root}/cpu`], ['cpuacct', `${root}/cpu`], ['pids', `${root}/pids`]]), v2: undefined }, 'flint-test');
    v1.open();
    const g1 = v1.create('s1');
    const file = (rel: string) => `${root}/${rel}`;
    g1.apply({ memoryMb: 512, cpuMillis: 1000, pidsMax: 1024, tmpSizeMb: 512 });
    assert.equal(readFileSync(file('memory/flint-test/s1/memory.limit_in_bytes'), 'utf8'), String(512 * 1024 * 1024));
    assert.equal(readFileSync(file('cpu/flint-test/s1/cpu.cfs_quota_us'), 'utf8'), '100000');
    for (const f of ['cpu/flint-test/s1/cpu.cfs_quota_us', 'pids/flint-test/s1/pids.max']) writeFileSync(file(f), 'untouched');
    g1.apply({ memoryMb: 1769, cpuMillis: 1000, pidsMax: 1024, tmpSizeMb: 512 });
    assert.equal(readFileSync(file('memory/flint-test/s1/memory.limit_in_bytes'), 'utf8'), String(1769 * 1024 * 1024));
    assert.equal(readFileSync(file('cpu/flint-test/s1/cpu.cfs_quota_us'), 'utf8'), 'untouched', 'same CPU: not rewritten');
    assert.equal(readFileSync(file('pids/flint-test/s1/pids.max'), 'utf8'), 'untouched');
    g1.apply({ memoryMb: 1769, cpuMillis: 72, pidsMax: 1024, tmpSizeMb: 512 });
    assert.equal(readFileSync(file('cpu/flint-test/s1/cpu.cfs_quota_us'), 'utf8'), '7200');

    writeFileSync(`${root}/cgroup.subtree_control`, '');
    const v2 = new CgroupV2Hierarchy(root, 'flint-v2');
    v2.open();
    const g2 = v2.create('s2');
    g2.apply({ memoryMb: 512, cpuMillis: 1000, pidsMax: 1024, tmpSizeMb: 512 });
    writeFileSync(file('flint-v2/s2/cpu.max'), 'untouched');
    g2.apply({ memoryMb: 256, cpuMillis: 1000, pidsMax: 1024, tmpSizeMb: 512 });
    assert.equal(readFileSync(file('flint-v2/s2/memory.max'), 'utf8'), String(256 * 1024 * 1024));
    assert.equal(readFileSync(file('flint-v2/s2/cpu.max'), 'utf8'), 'untouched');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
