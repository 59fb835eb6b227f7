import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HEARTBEAT_TIMEOUT_MS, hostCondition, type HostCondition } from './host-health.ts';

describe('hostCondition', () => {
  const now = 1_000_000;
  const host = (heartbeatAgoMs: number, draining = false, leaseLeftMs = 60_000) => ({ heartbeatMs: now - heartbeatAgoMs, draining, leaseExpiresMs: now + leaseLeftMs });
  const cases: Array<[string, ReturnType<typeof host>, HostCondition]> = [
    ['a host that just heartbeat is healthy', host(0), 'healthy'],
    ['a host at the heartbeat timeout is still healthy', host(HEARTBEAT_TIMEOUT_MS), 'healthy'],
    ['a host past the heartbeat timeout is silent', host(HEARTBEAT_TIMEOUT_MS + 1), 'silent'],
    ['silence wins over draining', host(HEARTBEAT_TIMEOUT_MS + 1, true), 'silent'],
    ['a draining host takes no placements', host(0, true), 'draining'],
    ['a host whose lease ran out takes no placements', host(0, false, 0), 'lease-expired'],
    ['draining wins over an expired lease', host(0, true, -5), 'draining'],
  ];
  for (const [name, h, expected] of cases) it(name, () => assert.equal(hostCondition(h, now), expected));
});
