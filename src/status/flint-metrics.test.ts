import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlintMetrics, type HostFigures } from './flint-metrics.ts';

const sources = (hosts: HostFigures[], frontEnds: Array<{ id: string; endpoint: string; startedMs: number }>) => ({
  sandboxesByState: () => ({ Idle: 0, Busy: 0 }),
  poolCells: () => 0,
  poolMemoryBytes: () => 0,
  concurrencyInUse: () => 0,
  asyncQueue: async () => ({ queueDepth: 0, oldestEventAgeMs: 0, deadLetters: 0, counters: {} }),
  hosts: () => hosts,
  frontEnds: () => frontEnds,
});

test('shows every worker host (health, memory, sandboxes, lease age) and every live front end, and forgets those that left', async () => {
  let hosts: HostFigures[] = [
    { id: 'local', healthy: true, draining: false, memoryBudgetMb: 1024, memoryInUseMb: 256, sandboxes: 2 },
    { id: 'worker-1', healthy: true, draining: true, memoryBudgetMb: 2048, memoryInUseMb: 128, sandboxes: 1, leaseAgeMs: 90_000 },
  ];
  const metrics = new FlintMetrics({ ...sources([], [{ id: 'fe-a', endpoint: 'http://a:9977', startedMs: 1_700_000_000_000 }]), hosts: () => hosts });
  const text = await metrics.registry.metrics();
  assert.match(text, /^flint_host_healthy\{host="local"\} 1$/m);
  assert.match(text, /^flint_host_healthy\{host="worker-1"\} 0$/m, 'a draining host takes no placements');
  assert.match(text, /^flint_host_memory_budget_bytes\{host="worker-1"\} 2147483648$/m);
  assert.match(text, /^flint_host_memory_in_use_bytes\{host="local"\} 268435456$/m);
  assert.match(text, /^flint_host_sandboxes\{host="local"\} 2$/m);
  assert.match(text, /^flint_host_lease_age_seconds\{host="worker-1"\} 90$/m);
  assert.match(text, /^flint_front_end_started_seconds\{front_end="fe-a",endpoint="http:\/\/a:9977"\} 1700000000$/m);
  hosts = [hosts[0]!];
  assert.doesNotMatch(await metrics.registry.metrics(), /worker-1/, 'a host that left is no longer shown');
});
