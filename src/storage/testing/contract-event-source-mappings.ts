/** Contract: event source mappings, by UUID and listed by source and function; they outlive their function. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventSourceMappingRecord } from '../../model/index.ts';
import { createFunction, using, type StorageContractTarget } from './contract-support.ts';

function mapping(uuid: string, over: Partial<EventSourceMappingRecord> = {}): EventSourceMappingRecord {
  return {
    uuid,
    eventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:q1',
    functionName: 'f',
    functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
    state: 'Creating',
    stateTransitionReason: 'USER_INITIATED',
    lastModifiedMs: 1_700_000_000_000,
    batchSize: 10,
    maximumBatchingWindowInSeconds: 0,
    filters: undefined,
    functionResponseTypes: [],
    maximumConcurrency: undefined,
    ...over,
  };
}

export function eventSourceMappingContract(target: StorageContractTarget): void {
  describe('event source mappings', () => {
    it('inserts, reads, lists by source and function after a cursor, and refuses a taken UUID', () =>
      using(target, async (s) => {
        const full = mapping('b', { filters: [{ Pattern: '{"body":{"a":[1]}}' }], functionResponseTypes: ['ReportBatchItemFailures'], maximumConcurrency: 5, batchSize: 100, maximumBatchingWindowInSeconds: 3 });
        await s.eventSourceMappings.insert(full);
        await s.eventSourceMappings.insert(mapping('a', { eventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:q2' }));
        await s.eventSourceMappings.insert(mapping('c', { functionName: 'g', functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:g:live' }));
        await assert.rejects(s.eventSourceMappings.insert(mapping('a')));
        assert.deepEqual(await s.eventSourceMappings.get('b'), full);
        assert.equal(await s.eventSourceMappings.get('z'), undefined);
        const uuids = async (q: Parameters<typeof s.eventSourceMappings.list>[0]) => (await s.eventSourceMappings.list(q)).map((m) => m.uuid);
        assert.deepEqual(await uuids({ limit: 10 }), ['a', 'b', 'c']);
        assert.deepEqual(await uuids({ limit: 1, afterUuid: 'a' }), ['b']);
        assert.deepEqual(await uuids({ limit: 10, eventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:q1' }), ['b', 'c']);
        assert.deepEqual(await uuids({ limit: 10, functionName: 'f' }), ['a', 'b']);
        assert.deepEqual(await uuids({ limit: 10, functionName: 'g', eventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:q2' }), []);
      }));

    it('updates, sets the state only when unchanged meanwhile, and deletes', () =>
      using(target, async (s) => {
        await s.eventSourceMappings.insert(mapping('a'));
        const seen = (await s.eventSourceMappings.get('a'))!;
        assert.equal(await s.eventSourceMappings.setState(seen, 'Enabled', 'USER_INITIATED'), true);
        assert.equal(await s.eventSourceMappings.setState(seen, 'Enabled', 'x'), false, 'the state seen is gone');
        assert.equal((await s.eventSourceMappings.get('a'))!.state, 'Enabled');
        const changed = mapping('a', { state: 'Disabling', lastModifiedMs: 1_700_000_000_500, batchSize: 3 });
        assert.equal(await s.eventSourceMappings.update(changed), true);
        assert.deepEqual(await s.eventSourceMappings.get('a'), changed);
        assert.equal(await s.eventSourceMappings.setState({ ...changed, lastModifiedMs: 1 }, 'Disabled', 'USER_INITIATED'), false, 'changed since');
        assert.equal(await s.eventSourceMappings.setState(changed, 'Disabled', 'stopped'), true);
        assert.deepEqual(await s.eventSourceMappings.get('a'), { ...changed, state: 'Disabled', stateTransitionReason: 'stopped' });
        assert.equal(await s.eventSourceMappings.update(mapping('zz')), false);
        assert.equal(await s.eventSourceMappings.delete('a'), true);
        assert.equal(await s.eventSourceMappings.delete('a'), false);
        assert.equal(await s.eventSourceMappings.get('a'), undefined);
      }));

    it('keeps a mapping when its function is deleted (as Lambda does)', () =>
      using(target, async (s) => {
        await createFunction(s, 'f');
        await s.eventSourceMappings.insert(mapping('a'));
        await s.functions.deleteFunction('f');
        assert.equal((await s.eventSourceMappings.get('a'))?.functionName, 'f');
      }));
  });
}
