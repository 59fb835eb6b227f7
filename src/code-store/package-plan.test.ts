import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_PACKAGE_LIMITS } from './package-limits.ts';
import { checkPackagePlan, checkUnzippedBytes, type PlannedEntry } from './package-plan.ts';

let nextOffset = 0;
function entry(path: string, kind: PlannedEntry['kind'] = 'file', declaredSize = 10, compressedSize = 10): PlannedEntry {
  const e = { path, kind, executable: false, declaredSize, compressedSize, localHeaderOffset: nextOffset };
  nextOffset += 30 + path.length + compressedSize;
  return e;
}
const refusedWith = (why: RegExp) => (err: Error) => err.name === 'InvalidParameterValueException' && why.test(err.message);

describe('checkPackagePlan', () => {
  it('accepts files, directories and symlinks side by side', () => {
    checkPackagePlan([entry('lib', 'directory', 0, 0), entry('lib/a.js'), entry('link', 'symlink', 3, 3), entry('index.js')], 1_000, DEFAULT_PACKAGE_LIMITS);
  });
  it('accepts an empty package', () => checkPackagePlan([], 22, DEFAULT_PACKAGE_LIMITS));
  it('refuses a path that appears twice', () => {
    assert.throws(() => checkPackagePlan([entry('a.js'), entry('a.js')], 1_000, DEFAULT_PACKAGE_LIMITS), refusedWith(/appears more than once/));
  });
  it('refuses a directory and a file of the same path', () => {
    assert.throws(() => checkPackagePlan([entry('a', 'directory', 0, 0), entry('a')], 1_000, DEFAULT_PACKAGE_LIMITS), refusedWith(/more than once/));
  });
  it('refuses an entry below a symlink (write through the link)', () => {
    assert.throws(() => checkPackagePlan([entry('out', 'symlink', 2, 2), entry('out/evil.sh')], 1_000, DEFAULT_PACKAGE_LIMITS), refusedWith(/below the symlink "out"/));
  });
  it('refuses an entry below a file', () => {
    assert.throws(() => checkPackagePlan([entry('a/b/c.js'), entry('a/b')], 1_000, DEFAULT_PACKAGE_LIMITS), refusedWith(/below the file "a\/b"/));
  });
  it('refuses entries that share their data (non-recursive zip bomb)', () => {
    const first = entry('a', 'file', 1_000, 100);
    const second = { ...entry('b', 'file', 1_000, 100), localHeaderOffset: first.localHeaderOffset };
    assert.throws(() => checkPackagePlan([first, second], 1_000, DEFAULT_PACKAGE_LIMITS), refusedWith(/share data/));
  });
  it('refuses more entries than the limit', () => {
    const limits = { ...DEFAULT_PACKAGE_LIMITS, maxEntries: 2 };
    assert.throws(() => checkPackagePlan([entry('a'), entry('b'), entry('c')], 1_000, limits), refusedWith(/3 entries; at most 2/));
  });
  it('refuses declared sizes beyond the unzipped quota with AWS text', () => {
    const big = entry('big', 'file', 262_144_001, 300_000);
    assert.throws(() => checkPackagePlan([big], 400_000, DEFAULT_PACKAGE_LIMITS), (err: Error) => err.message === 'Unzipped size must be smaller than 262144000 bytes');
  });
});

describe('checkUnzippedBytes', () => {
  const table: [unzipped: number, archive: number, outcome: 'ok' | RegExp][] = [
    [262_144_000, 1_000_000, 'ok'],
    [262_144_001, 1_000_000, /Unzipped size must be smaller than 262144000 bytes/],
    [10 * 1024 * 1024, 100, 'ok'], // under the ratio floor: tiny packages never trip it
    [20 * 1024 * 1024, 20 * 1024, 'ok'], // 1024:1 exactly
    [20 * 1024 * 1024, 20 * 1024 - 1, /compression ratio exceeds 1024:1/],
  ];
  for (const [unzipped, archive, outcome] of table) {
    it(`${outcome === 'ok' ? 'accepts' : 'refuses'} ${unzipped} bytes from a ${archive}-byte archive`, () => {
      if (outcome === 'ok') checkUnzippedBytes(unzipped, archive, DEFAULT_PACKAGE_LIMITS);
      else assert.throws(() => checkUnzippedBytes(unzipped, archive, DEFAULT_PACKAGE_LIMITS), refusedWith(outcome));
    });
  }
});
