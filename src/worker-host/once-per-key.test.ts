import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OncePerKey } from './once-per-key.ts';

describe('OncePerKey', () => {
  it('runs a key once, for concurrent and later callers alike', async () => {
    const once = new OncePerKey<string>();
    let runs = 0;
    const run = async () => `dir${++runs}`;
    const [a, b] = await Promise.all([once.get('k', run), once.get('k', run)]);
    assert.deepEqual([a, b, await once.get('k', run), runs], ['dir1', 'dir1', 'dir1', 1]);
    assert.equal(await once.get('other', run), 'dir2');
  });

  it('forgets a failed run, so the next caller tries again', async () => {
    const once = new OncePerKey<string>();
    let runs = 0;
    const run = async () => {
      if (++runs === 1) throw new Error('disk full');
      return 'dir';
    };
    await assert.rejects(once.get('k', run), /disk full/);
    assert.equal(await once.get('k', run), 'dir');
    assert.equal(runs, 2);
  });
});
