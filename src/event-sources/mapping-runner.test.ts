/** The runner over real storage (SQLite in memory): state transitions, pollers started and stopped, one poller per mapping across holders of the leases. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitFor } from '../../test/helpers/wait-for.ts';
import type { EventSourceMappingRecord, InvokeRequest, InvokeResult } from '../model/index.ts';
import { functionVersion } from '../model/testing/function-version.ts';
import { createLogger, systemClock } from '../shared/index.ts';
import { openSqliteStorage } from '../storage/index.ts';
import { MappingRunner } from './mapping-runner.ts';
import { MemoryQueues } from './testing/memory-queues.ts';

const logger = createLogger('silent');

function invoker(delivered: string[]) {
  return {
    async invoke(request: InvokeRequest): Promise<InvokeResult> {
      for (const r of (JSON.parse(request.payload.toString()) as { Records: Array<{ body: string }> }).Records) delivered.push(r.body);
      return { kind: 'completed', target: { config: functionVersion('f'), invokedFunctionArn: request.functionName }, outcome: { payload: Buffer.from('null'), durationMs: 1 } };
    },
  };
}

function record(uuid: string, queueArn: string, state: EventSourceMappingRecord['state']): EventSourceMappingRecord {
  return {
    uuid,
    eventSourceArn: queueArn,
    functionName: 'f',
    functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
    state,
    stateTransitionReason: 'USER_INITIATED',
    lastModifiedMs: Date.now(),
    batchSize: 10,
    maximumBatchingWindowInSeconds: 0,
    filters: undefined,
    functionResponseTypes: [],
    maximumConcurrency: undefined,
  };
}

const pollerOptions = { waitTimeSeconds: 0.05, ceiling: 10, throttleBaseMs: 10, throttleMaxMs: 50, errorBackoffMs: 20, scaleUpEveryMs: 0, minIdleShare: 0, freeConcurrency: 1 };

describe('mapping runner', () => {
  it('settles Creating to Enabled and polls; Disabling to Disabled and stops; Enabling polls again; Deleting removes the row', async () => {
    const storage = openSqliteStorage(':memory:');
    const queues = new MemoryQueues();
    const q = queues.create('q');
    const delivered: string[] = [];
    const runner = new MappingRunner({ store: storage.eventSourceMappings, clock: systemClock, logger, scanMs: 50, poller: { queues, invoker: invoker(delivered), logger, options: pollerOptions } });
    try {
      await storage.eventSourceMappings.insert(record('m1', q, 'Creating'));
      runner.start();
      await waitFor(async () => (await storage.eventSourceMappings.get('m1'))?.state === 'Enabled', { what: 'Enabled' });
      await queues.send(q, { body: 'one' });
      await waitFor(() => delivered.includes('one'));

      const enabled = (await storage.eventSourceMappings.get('m1'))!;
      await storage.eventSourceMappings.update({ ...enabled, state: 'Disabling', lastModifiedMs: enabled.lastModifiedMs + 1 });
      runner.kick();
      await waitFor(async () => (await storage.eventSourceMappings.get('m1'))?.state === 'Disabled', { what: 'Disabled' });
      assert.equal(runner.poller('m1'), undefined, 'no poller once Disabled');
      await queues.send(q, { body: 'two' });

      const disabled = (await storage.eventSourceMappings.get('m1'))!;
      await storage.eventSourceMappings.update({ ...disabled, state: 'Enabling', lastModifiedMs: disabled.lastModifiedMs + 1 });
      runner.kick();
      await waitFor(() => delivered.includes('two'), { what: 'polling resumed' });
      assert.equal((await storage.eventSourceMappings.get('m1'))?.state, 'Enabled');

      const again = (await storage.eventSourceMappings.get('m1'))!;
      await storage.eventSourceMappings.update({ ...again, state: 'Deleting', lastModifiedMs: again.lastModifiedMs + 1 });
      runner.kick();
      await waitFor(async () => (await storage.eventSourceMappings.get('m1')) === undefined, { what: 'deleted' });
      assert.equal(runner.poller('m1'), undefined);
    } finally {
      await runner.stop();
      await storage.close();
    }
  });

  it('settles a mapping created disabled without polling it', async () => {
    const storage = openSqliteStorage(':memory:');
    const queues = new MemoryQueues();
    const q = queues.create('q');
    await queues.send(q, { body: 'stays' });
    const runner = new MappingRunner({ store: storage.eventSourceMappings, clock: systemClock, logger, scanMs: 50, poller: { queues, invoker: invoker([]), logger, options: pollerOptions } });
    try {
      await storage.eventSourceMappings.insert(record('m1', q, 'Disabling'));
      runner.start();
      await waitFor(async () => (await storage.eventSourceMappings.get('m1'))?.state === 'Disabled');
      assert.equal(queues.receives.length, 0);
      assert.deepEqual(queues.bodies(q), ['stays']);
    } finally {
      await runner.stop();
      await storage.close();
    }
  });

  it('runs one poller per mapping across runners sharing the leases, and another takes over when the holder stops', async () => {
    const storage = openSqliteStorage(':memory:');
    const queues = new MemoryQueues();
    const q = queues.create('q');
    const make = (holder: string) =>
      new MappingRunner({
        store: storage.eventSourceMappings,
        clock: systemClock,
        logger,
        scanMs: 30,
        leases: { store: storage.leases, holder, leaseMs: 60_000 },
        poller: { queues, invoker: invoker([]), logger, options: pollerOptions },
      });
    const a = make('fe-a');
    const b = make('fe-b');
    try {
      await storage.eventSourceMappings.insert(record('m1', q, 'Creating'));
      a.start();
      await waitFor(() => a.poller('m1') !== undefined);
      b.start();
      await waitFor(async () => (await storage.eventSourceMappings.get('m1'))?.state === 'Enabled');
      b.kick();
      await waitFor(() => queues.receives.length > 3);
      assert.equal(b.poller('m1'), undefined, 'the other runner does not poll a mapping whose lease is held');
      await a.stop(); // gives the lease up
      await waitFor(() => b.poller('m1') !== undefined, { what: 'b took over' });
    } finally {
      await a.stop();
      await b.stop();
      await storage.close();
    }
  });
});
