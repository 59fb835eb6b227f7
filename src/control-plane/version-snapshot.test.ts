import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FunctionVersionConfig } from '../model/index.ts';
import { functionVersion } from '../model/testing/function-version.ts';
import { STATUS_OF } from './function-state.ts';
import { contentDigest, snapshotVersion } from './version-snapshot.ts';

const latest = functionVersion('f', { role: 'r', description: 'd', environment: { A: '1', B: '2' }, codeSha256Hex: 'a'.repeat(64), codeSize: 5, revisionId: 'r1', lastModifiedMs: 1 });

describe('contentDigest', () => {
  it('ignores identity and bookkeeping: version, RevisionId, LastModified, State', () => {
    const same = { ...latest, version: '7', revisionId: 'r2', lastModifiedMs: 99, ...STATUS_OF.updating };
    assert.equal(contentDigest(same), contentDigest(latest));
  });

  it('does not depend on the order of environment variables', () => {
    assert.equal(contentDigest({ ...latest, environment: { B: '2', A: '1' } }), contentDigest(latest));
  });

  const changes: Array<[string, Partial<FunctionVersionConfig>]> = [
    ['code', { codeSha256Hex: 'b'.repeat(64) }],
    ['an environment variable', { environment: { A: '1', B: '3' } }],
    ['the memory size', { memorySizeMb: 256 }],
    ['the handler', { handler: 'other.handler' }],
    ['the description', { description: 'other' }],
    ['the timeout', { timeoutSec: 4 }],
    ['the log format', { loggingConfig: { LogFormat: 'JSON', LogGroup: '/aws/lambda/f' } }],
  ];
  for (const [what, patch] of changes) {
    it(`changes when ${what} changes`, () => assert.notEqual(contentDigest({ ...latest, ...patch }), contentDigest(latest)));
  }
});

describe('snapshotVersion', () => {
  const stamp = { nowMs: 50, revisionId: 'v-rev' };

  it('copies $LATEST under the version number with its own RevisionId, ready when $LATEST is', () => {
    const v = snapshotVersion(latest, 3, undefined, stamp);
    assert.deepEqual(v, { ...latest, version: '3', revisionId: 'v-rev' });
  });

  it('takes the Description given to PublishVersion', () => assert.equal(snapshotVersion(latest, 1, 'release', stamp).description, 'release'));

  it('starts Pending when $LATEST is still being updated', () => {
    const v = snapshotVersion({ ...latest, ...STATUS_OF.updating }, 1, undefined, stamp);
    assert.equal(v.state, 'Pending');
  });
});
