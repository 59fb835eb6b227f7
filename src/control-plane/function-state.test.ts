import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STATUS_OF, beginUpdate, lifecycleOf, settledStatus, type FunctionLifecycle } from './function-state.ts';

describe('function version lifecycle', () => {
  const cases: Array<[FunctionLifecycle, FunctionLifecycle, FunctionLifecycle | undefined]> = [
    // from, after an update, after settling
    ['creating', 'creating', 'ready'],
    ['updating', 'updating', 'ready'],
    ['ready', 'updating', undefined],
  ];
  for (const [from, afterUpdate, afterSettle] of cases) {
    it(`${from}: an update leads to ${afterUpdate}, settling to ${afterSettle ?? 'nothing (no-op)'}`, () => {
      assert.equal(lifecycleOf(beginUpdate(STATUS_OF[from])), afterUpdate);
      const settled = settledStatus(STATUS_OF[from]);
      assert.equal(settled && lifecycleOf(settled), afterSettle);
    });
  }

  it('maps the lifecycle onto Lambda State / LastUpdateStatus', () => {
    assert.deepEqual(STATUS_OF.creating, { state: 'Pending', lastUpdateStatus: 'InProgress' });
    assert.deepEqual(STATUS_OF.updating, { state: 'Active', lastUpdateStatus: 'InProgress' });
    assert.deepEqual(STATUS_OF.ready, { state: 'Active', lastUpdateStatus: 'Successful' });
  });
});
