/**
 * Placement on a full host, through the AWS SDK: with a host memory budget of
 * 256 MB (two 128 MB sandboxes), a new sandbox evicts the least recently used
 * idle sandbox of another function, and when every sandbox is busy the invoke
 * is refused at once with 429, never left waiting.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { removeDataDir, startFlintProcess, type FlintProcess } from '../helpers/flint-process.ts';
import { deployQuick, invokeIdentity, sandboxRows } from './data-plane-support.ts';

describe('placement on a full host', () => {
  let flint: FlintProcess;
  let client: LambdaClient;
  before(async () => {
    flint = await startFlintProcess({ args: ['--host-memory-budget-mb', '256'] });
    client = flint.client();
  });
  after(async () => {
    await flint.stop();
    removeDataDir(flint.dataDir);
  });
  const idle = async (name: string) => (await sandboxRows(flint.endpoint, name)).reduce((n, r) => n + r.idle, 0);

  it('evicts the least recently used idle sandbox of another function to make room', async () => {
    const [a, b, c] = await Promise.all([deployQuick(client), deployQuick(client), deployQuick(client)]);
    const firstA = await invokeIdentity(client, a);
    await invokeIdentity(client, b);
    const firstC = await invokeIdentity(client, c);
    assert.equal(firstC.cold, true);
    assert.deepEqual([await idle(a), await idle(b), await idle(c)], [0, 1, 1], 'a was used least recently');
    const againA = await invokeIdentity(client, a);
    assert.equal(againA.cold, true, 'a starts over in a new sandbox');
    assert.notEqual(againA.identity!.sandboxId, firstA.identity!.sandboxId);
    assert.deepEqual([await idle(a), await idle(b), await idle(c)], [1, 0, 1], 'then b was the least recently used');
  });

  it('refuses at once with 429 when the host is full of busy sandboxes', async () => {
    const name = await deployQuick(client);
    // Order, not a time limit: a refusal that waited for a sandbox would come after a busy invoke ended.
    let answered = 0;
    const ordered = async () => ({ ...(await invokeIdentity(client, name, { sleepMs: 4000 })), answer: ++answered });
    const outcomes = await Promise.all([ordered(), ordered(), ordered()]);
    const refused = outcomes.filter((o) => o.throttled !== undefined);
    assert.deepEqual(refused.map((o) => o.throttled), ['ConcurrentInvocationLimitExceeded']);
    assert.equal(refused[0]!.answer, 1, 'refused while both sandboxes were still busy, not after waiting for one');
    assert.equal(outcomes.filter((o) => o.identity !== undefined).length, 2);
  });
});
