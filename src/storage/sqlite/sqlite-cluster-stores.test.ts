import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { HostRecord } from '../ports.ts';
import { openSqliteStorage } from './sqlite-storage.ts';

const host = (id: string, over: Partial<HostRecord> = {}): HostRecord => ({
  id,
  endpoint: `http://10.0.0.1:${id.length}`,
  apiKey: `key-${id}`,
  memoryMb: 4096,
  cpus: 2.5,
  runtimes: ['nodejs22.x', 'python3.13'],
  registeredMs: 1,
  heartbeatMs: 1,
  leaseExpiresMs: 100,
  draining: false,
  memoryInUseMb: 0,
  sandboxes: 0,
  ...over,
});

describe('the SQLite host store', () => {
  it('registers, heartbeats, drains and removes hosts; a re-registration replaces the old row', async () => {
    const { hosts } = openSqliteStorage(':memory:');
    await hosts.register(host('h1'));
    await hosts.register(host('h2', { draining: true }));
    assert.equal(await hosts.heartbeat('h1', { memoryInUseMb: 512, sandboxes: 3 }, 50), true);
    assert.equal(await hosts.heartbeat('gone', { memoryInUseMb: 0, sandboxes: 0 }, 50), false);
    const [h1, h2] = await hosts.list();
    assert.deepEqual(h1, host('h1', { heartbeatMs: 50, memoryInUseMb: 512, sandboxes: 3 }));
    assert.equal(h2?.draining, true);
    await hosts.setDraining('h1');
    assert.equal((await hosts.list())[0]?.draining, true);
    await hosts.register(host('h1', { registeredMs: 9, heartbeatMs: 9 }));
    assert.deepEqual((await hosts.list())[0], host('h1', { registeredMs: 9, heartbeatMs: 9 }));
    await hosts.remove('h2');
    assert.deepEqual((await hosts.list()).map((h) => h.id), ['h1']);
  });
});

describe('the SQLite front-end store', () => {
  it('announces (inserting, then refreshing the heartbeat), lists and removes front ends', async () => {
    const { frontEnds } = openSqliteStorage(':memory:');
    await frontEnds.announce({ id: 'b', endpoint: 'http://b', startedMs: 1, heartbeatMs: 1 });
    await frontEnds.announce({ id: 'a', endpoint: 'http://a', startedMs: 2, heartbeatMs: 2 });
    await frontEnds.announce({ id: 'b', endpoint: 'http://b', startedMs: 1, heartbeatMs: 7 });
    assert.deepEqual(await frontEnds.list(), [
      { id: 'a', endpoint: 'http://a', startedMs: 2, heartbeatMs: 2 },
      { id: 'b', endpoint: 'http://b', startedMs: 1, heartbeatMs: 7 },
    ]);
    await frontEnds.remove('a');
    assert.deepEqual((await frontEnds.list()).map((f) => f.id), ['b']);
  });
});

describe('the SQLite join-token store', () => {
  it('knows the digests added, and only those', async () => {
    const { joinTokens } = openSqliteStorage(':memory:');
    await joinTokens.add('ab'.repeat(32), 1);
    await joinTokens.add('ab'.repeat(32), 2);
    assert.equal(await joinTokens.has('ab'.repeat(32)), true);
    assert.equal(await joinTokens.has('cd'.repeat(32)), false);
  });
});

describe('the SQLite lease store', () => {
  it('gives a lease to one holder at a time, renews it for that holder, and frees it on expiry or release', async () => {
    const { leases } = openSqliteStorage(':memory:');
    assert.equal(await leases.acquire('scheduler', 'fe-1', 0, 100), true);
    assert.equal(await leases.acquire('scheduler', 'fe-2', 50, 100), false, 'held by another');
    assert.equal(await leases.acquire('other', 'fe-2', 50, 100), true, 'leases are per name');
    assert.equal(await leases.acquire('scheduler', 'fe-1', 90, 100), true, 'renewed by its holder');
    assert.equal(await leases.acquire('scheduler', 'fe-2', 150, 100), false, 'the renewal holds until 190');
    assert.equal(await leases.acquire('scheduler', 'fe-2', 190, 100), true, 'expired: taken over');
    await leases.release('scheduler', 'fe-1');
    assert.equal(await leases.acquire('scheduler', 'fe-1', 200, 100), false, 'a release by a non-holder changes nothing');
    await leases.release('scheduler', 'fe-2');
    assert.equal(await leases.acquire('scheduler', 'fe-1', 200, 100), true);
  });
});

describe('the SQLite concurrency share store', () => {
  it('grants what the live shares of the others leave of the limit; expired and released shares count for nothing', async () => {
    const { concurrencyShares } = openSqliteStorage(':memory:');
    assert.equal(await concurrencyShares.claim('a', 60, 100, 0, 1000), 60);
    assert.equal(await concurrencyShares.claim('b', 60, 100, 0, 1000), 40);
    assert.equal(await concurrencyShares.claim('a', 80, 100, 10, 1000), 60, 'b holds 40');
    assert.equal(await concurrencyShares.claim('c', 10, 100, 10, 1000), 0, 'nothing left');
    assert.equal(await concurrencyShares.claim('c', 50, 100, 1000, 1000), 40, 'b lapsed at 1000; a renewed until 1010');
    assert.equal(await concurrencyShares.claim('d', 100, 100, 1010, 1000), 60, 'a has lapsed too; c holds 40');
    await concurrencyShares.release('c');
    assert.equal(await concurrencyShares.claim('b', 100, 100, 1010, 1000), 40, 'c released; d holds 60');
  });
});
