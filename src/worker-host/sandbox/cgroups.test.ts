import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CFS_MIN_QUOTA_US, CFS_PERIOD_US, cfsBandwidth, readCgroupMounts } from './cgroups.ts';
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
