import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { GroupCommit } from './group-commit.ts';

/** A commit function that records its batches and finishes when told. */
function controlledCommit() {
  const batches: number[][] = [];
  const finish: Array<(err?: Error) => void> = [];
  const commit = (items: readonly number[]): Promise<void> => {
    batches.push([...items]);
    return new Promise<void>((resolve, reject) => finish.push((err) => (err === undefined ? resolve() : reject(err))));
  };
  return { batches, finish, commit };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('items handed over in one turn share one commit, and each caller settles only after it', async () => {
  const c = controlledCommit();
  const group = new GroupCommit(c.commit);
  let settled = 0;
  const all = [1, 2, 3].map((n) => group.add(n).then(() => settled++));
  await turn();
  assert.deepEqual(c.batches, [[1, 2, 3]]);
  assert.equal(settled, 0, 'nobody is answered before the commit');
  c.finish[0]!();
  await Promise.all(all);
  assert.equal(settled, 3);
});

test('items that arrive while a commit runs go into the next one, together', async () => {
  const c = controlledCommit();
  const group = new GroupCommit(c.commit);
  const first = group.add(1);
  await turn();
  const later = [group.add(2), group.add(3)];
  await turn();
  assert.deepEqual(c.batches, [[1]], 'no second commit while the first runs');
  c.finish[0]!();
  await first;
  await turn();
  assert.deepEqual(c.batches, [[1], [2, 3]]);
  c.finish[1]!();
  await Promise.all(later);
});

test('a failed commit rejects exactly its batch; the next batch still commits', async () => {
  const c = controlledCommit();
  const group = new GroupCommit(c.commit);
  const doomed = [group.add(1), group.add(2)];
  await turn();
  const next = group.add(3);
  c.finish[0]!(new Error('disk full'));
  for (const p of doomed) await assert.rejects(p, /disk full/);
  await turn();
  assert.deepEqual(c.batches, [[1, 2], [3]]);
  c.finish[1]!();
  await next;
});

test('batches are capped at maxBatch', async () => {
  const c = controlledCommit();
  const group = new GroupCommit(c.commit, { maxBatch: 2 });
  const all = [1, 2, 3].map((n) => group.add(n));
  await turn();
  c.finish[0]!();
  await turn();
  await turn();
  c.finish[1]!();
  await Promise.all(all);
  assert.deepEqual(c.batches, [[1, 2], [3]]);
});
