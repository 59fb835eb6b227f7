import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import type { FunctionVersionConfig } from '../model/index.ts';
import { functionVersion } from '../model/testing/function-version.ts';
import { openSqliteStorage, type Storage } from '../storage/index.ts';
import { FunctionSettler } from './function-settler.ts';

const DELAY = 250;
const NOW = Date.UTC(2024, 0, 1);

describe('FunctionSettler sweeps', () => {
  let storage: Storage;
  let revisions = 0;
  const settled: string[] = [];
  /** A settler as one front end has it (they share the storage). */
  const settler = (sweepEveryMs?: number) =>
    new FunctionSettler({
      functions: storage.functions,
      newRevisionId: () => `settled-${++revisions}`,
      logger: pino({ level: 'silent' }),
      settleDelayMs: DELAY,
      clock: { now: () => NOW },
      sweepEveryMs,
      onSettled: async (name, version) => void settled.push(`${name}:${version}`),
    });
  const create = async (name: string, over: Partial<FunctionVersionConfig>) => {
    assert.ok(await storage.functions.insertFunction({ name, createdMs: 0, tags: {}, reservedConcurrency: undefined }, functionVersion(name, over)));
  };
  const lifecycle = async (name: string) => {
    const c = await storage.functions.getVersion(name, '$LATEST');
    return `${c?.state}/${c?.lastUpdateStatus}/${c?.revisionId}`;
  };

  beforeEach(() => {
    storage = openSqliteStorage(':memory:');
    revisions = 0;
    settled.length = 0;
  });
  afterEach(async () => {
    await storage.close();
  });

  it('settles only versions transient for longer than the delay (their writer died), leaving fresh writes to their writer', async () => {
    await create('orphan', { state: 'Pending', lastUpdateStatus: 'InProgress', lastModifiedMs: NOW - DELAY });
    await create('updating', { lastUpdateStatus: 'InProgress', lastModifiedMs: NOW - 10 * DELAY });
    await create('fresh', { state: 'Pending', lastUpdateStatus: 'InProgress', lastModifiedMs: NOW - DELAY + 1 });
    await settler().recover(DELAY);
    assert.equal(await lifecycle('orphan'), 'Active/Successful/settled-1');
    assert.equal(await lifecycle('updating'), 'Active/Successful/settled-2');
    assert.equal(await lifecycle('fresh'), 'Pending/InProgress/r');
    assert.deepEqual(settled, ['orphan:$LATEST', 'updating:$LATEST']);
  });

  it('settles a version once when several front ends sweep at once', async () => {
    await create('f', { state: 'Pending', lastUpdateStatus: 'InProgress', lastModifiedMs: NOW - 2 * DELAY });
    await Promise.all([settler().recover(DELAY), settler().recover(DELAY), settler().recover(DELAY)]);
    assert.deepEqual(settled, ['f:$LATEST']);
    assert.match(await lifecycle('f'), /^Active\/Successful\/settled-\d$/);
    await settler().recover(DELAY);
    assert.deepEqual(settled, ['f:$LATEST'], 'a settled version is left alone');
  });

  it('leaves a version written again after the sweep found it transient', async () => {
    await create('f', { lastUpdateStatus: 'InProgress', lastModifiedMs: NOW - 2 * DELAY });
    const s = settler();
    await s.settleNow('f', '$LATEST', NOW - 3 * DELAY);
    assert.equal(await lifecycle('f'), 'Active/InProgress/r');
    assert.deepEqual(settled, []);
  });

  it('sweeps periodically once started, until stopped', { timeout: 10_000 }, async () => {
    const s = settler(10);
    s.startSweeping();
    await create('f', { state: 'Pending', lastUpdateStatus: 'InProgress', lastModifiedMs: NOW - DELAY });
    while (settled.length === 0) await new Promise((r) => setTimeout(r, 5));
    s.stop();
    assert.deepEqual(settled, ['f:$LATEST']);
    assert.equal(await lifecycle('f'), 'Active/Successful/settled-1');
  });
});
