import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FunctionVersionConfig } from '../../model/index.ts';
import { functionVersion } from '../../model/testing/function-version.ts';
import type { ConfigChange } from '../ports.ts';
import { openSqliteStorage } from './sqlite-storage.ts';

const fn = (name: string) => ({ name, createdMs: 0, tags: {}, reservedConcurrency: undefined });
const latest = (name: string): FunctionVersionConfig => functionVersion(name, { version: '$LATEST', codeSha256Hex: 'a'.repeat(64), codeSize: 1 });

/** A promise and the function that resolves it. */
function signal(): { promise: Promise<void>; fire: () => void } {
  let fire!: () => void;
  const promise = new Promise<void>((resolve) => (fire = resolve));
  return { promise, fire };
}

describe('SQLite Storage.transaction', () => {
  it('commits everything fn wrote when it resolves', async () => {
    const storage = openSqliteStorage(':memory:');
    const out = await storage.transaction(async (tx) => {
      await tx.functions.insertFunction(fn('f'), latest('f'));
      await tx.aliases.insert({ functionName: 'f', name: 'live', functionVersion: '$LATEST', description: '', additional: undefined, revisionId: 'r' });
      return 'done';
    });
    assert.equal(out, 'done');
    assert.equal((await storage.aliases.get('f', 'live'))?.revisionId, 'r');
  });

  it('rolls back everything fn wrote when it rejects, and rejects with its error', async () => {
    const storage = openSqliteStorage(':memory:');
    await assert.rejects(
      storage.transaction(async (tx) => {
        await tx.functions.insertFunction(fn('f'), latest('f'));
        await tx.queue.enqueue({ requestId: 'r', functionName: 'f', qualifier: undefined, payload: Buffer.from('{}'), origin: 'invoke' }, 0);
        await new Promise((resolve) => setImmediate(resolve));
        throw new Error('refused');
      }),
      /refused/,
    );
    assert.equal(await storage.functions.getFunction('f'), undefined);
    assert.equal((await storage.queue.snapshot(0)).depth, 0);
  });

  it('holds a statement issued from outside while fn awaits until the transaction has committed', async () => {
    const storage = openSqliteStorage(':memory:');
    const inside = signal();
    const proceed = signal();
    const order: string[] = [];
    const tx = storage.transaction(async (t) => {
      await t.functions.insertFunction(fn('f'), latest('f'));
      inside.fire();
      await proceed.promise;
      await t.functions.setTags('f', { written: 'inside' });
      order.push('committing');
      return 'tx';
    });
    await inside.promise;
    // Issued while the transaction is open: it must neither see the uncommitted row nor write into the transaction.
    const outside = storage.functions.getFunction('f').then((record) => {
      order.push('outside read');
      return record;
    });
    const write = storage.functions.insertFunction(fn('g'), latest('g'));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(order, [], 'the outside read waits');
    proceed.fire();
    assert.equal(await tx, 'tx');
    assert.deepEqual((await outside)?.tags, { written: 'inside' }, 'the read ran after the commit');
    assert.equal(await write, true);
    assert.deepEqual(order, ['committing', 'outside read']);
  });

  it('keeps an outside write out of a transaction that then rolls back', async () => {
    const storage = openSqliteStorage(':memory:');
    const inside = signal();
    const tx = storage.transaction(async (t) => {
      await t.functions.insertFunction(fn('f'), latest('f'));
      inside.fire();
      await new Promise((resolve) => setImmediate(resolve));
      throw new Error('abort');
    });
    await inside.promise;
    const write = storage.functions.insertFunction(fn('g'), latest('g'));
    await assert.rejects(tx, /abort/);
    assert.equal(await write, true);
    assert.equal(await storage.functions.getFunction('f'), undefined);
    assert.notEqual(await storage.functions.getFunction('g'), undefined, 'the outside write survived the rollback');
  });

  it('runs transactions one after the other', async () => {
    const storage = openSqliteStorage(':memory:');
    await storage.functions.insertFunction(fn('f'), latest('f'));
    const bump = () =>
      storage.transaction(async (tx) => {
        const n = (await tx.functions.takeVersionNumber('f'))!;
        await new Promise((resolve) => setImmediate(resolve));
        await tx.functions.setTags('f', { last: String(n) });
        return n;
      });
    assert.deepEqual(await Promise.all([bump(), bump(), bump()]), [1, 2, 3]);
    assert.deepEqual((await storage.functions.getFunction('f'))?.tags, { last: '3' });
  });

  it("refuses a transaction's stores once it has ended", async () => {
    const storage = openSqliteStorage(':memory:');
    let kept: Parameters<Parameters<typeof storage.transaction>[0]>[0] | undefined;
    await storage.transaction(async (tx) => {
      kept = tx;
    });
    await assert.rejects(kept!.functions.getFunction('f'), /after it ended/);
  });

  it('keeps a method atomic inside a transaction that goes on after it failed', async () => {
    const storage = openSqliteStorage(':memory:');
    await storage.transaction(async (tx) => {
      await tx.functions.insertFunction(fn('f'), latest('f'));
      await tx.functions.insertVersion(functionVersion('f', { version: '1' }));
      await assert.rejects(tx.functions.insertVersion(functionVersion('f', { version: '1' })));
      await tx.functions.setTags('f', { still: 'open' });
    });
    assert.deepEqual((await storage.functions.listVersions('f')).map((c) => c.version), ['$LATEST', '1']);
    assert.deepEqual((await storage.functions.getFunction('f'))?.tags, { still: 'open' });
  });
});

describe('SQLite change feed', () => {
  it('tells every subscriber, in order, even when one throws; unsubscribed ones hear nothing more', async () => {
    const storage = openSqliteStorage(':memory:');
    const heard: string[] = [];
    storage.changes.subscribe(() => {
      throw new Error('broken subscriber');
    });
    const stop = storage.changes.subscribe((c: ConfigChange) => heard.push(`${c.kind} ${c.functionName}`));
    await storage.changes.publish({ functionName: 'f', kind: 'touched' });
    stop();
    await storage.changes.publish({ functionName: 'g', kind: 'function-deleted' });
    assert.deepEqual(heard, ['touched f']);
  });
});
