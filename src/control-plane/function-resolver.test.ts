import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { functionVersion } from '../model/testing/function-version.ts';
import { openSqliteStorage, type FunctionStore } from '../storage/index.ts';
import { FunctionResolver } from './function-resolver.ts';

const account = { region: 'us-east-1', accountId: '123456789012' };

/** A resolver over a real store whose version reads are counted (and can be held back). */
async function harness() {
  const storage = openSqliteStorage(':memory:');
  await storage.functions.insertFunction({ name: 'f', createdMs: 0, tags: {}, reservedConcurrency: undefined }, functionVersion('f', { version: '$LATEST', memorySizeMb: 128 }));
  let reads = 0;
  let hold: Promise<void> | undefined;
  const functions: FunctionStore = {
    ...storage.functions,
    listVersions: async (name) => {
      reads++;
      const versions = await storage.functions.listVersions(name);
      if (hold !== undefined) await hold;
      return versions;
    },
  };
  const resolver = new FunctionResolver({ functions, aliases: storage.aliases, account, random: () => 0 });
  return { storage, resolver, reads: () => reads, holdReads: (until: Promise<void>) => (hold = until) };
}

describe('FunctionResolver (invokes)', () => {
  it('reads a function once, then serves warm invokes from memory until it is invalidated', async () => {
    const h = await harness();
    await h.resolver.resolve('f', undefined);
    await h.resolver.resolve('f', '$LATEST');
    assert.equal(h.reads(), 1);
    await h.storage.functions.updateVersion('f', '$LATEST', (c) => ({ ...c, memorySizeMb: 256 }));
    h.resolver.invalidate('f');
    assert.equal((await h.resolver.resolve('f', undefined)).config.memorySizeMb, 256);
    assert.equal(h.reads(), 2);
  });

  it('reads a function it holds again as soon as it changes, so the next invoke finds it in memory', async () => {
    const h = await harness();
    await h.resolver.resolve('f', undefined);
    await h.storage.functions.updateVersion('f', '$LATEST', (c) => ({ ...c, memorySizeMb: 1024 }));
    h.resolver.invalidate('f');
    assert.equal(h.reads(), 2, 'read again at the change');
    const resolved = h.resolver.resolve('f', undefined); // joins that read
    assert.equal((await resolved).config.memorySizeMb, 1024);
    await h.resolver.resolve('f', undefined);
    assert.equal(h.reads(), 2);
  });

  it('does not read a function on a change when it was never invoked here', async () => {
    const h = await harness();
    h.resolver.invalidate('f');
    h.resolver.invalidate('g');
    assert.equal(h.reads(), 0);
  });

  it('does not keep what it read while the function changed under it', async () => {
    const h = await harness();
    let release!: () => void;
    h.holdReads(new Promise((resolve) => (release = resolve)));
    const stale = h.resolver.resolve('f', undefined);
    await new Promise((resolve) => setImmediate(resolve)); // the read is under way
    await h.storage.functions.updateVersion('f', '$LATEST', (c) => ({ ...c, memorySizeMb: 512 }));
    h.resolver.invalidate('f');
    release();
    assert.equal((await stale).config.memorySizeMb, 128, 'the invoke that started before the change runs what it read');
    h.holdReads(Promise.resolve());
    assert.equal((await h.resolver.resolve('f', undefined)).config.memorySizeMb, 512, 'the next invoke reads again');
  });
});
