import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateEntryName } from './entry-name.ts';
import { DEFAULT_PACKAGE_LIMITS } from './package-limits.ts';

const accepted: [name: string, path: string, trailingSlash: boolean][] = [
  ['index.js', 'index.js', false],
  ['lib/util.js', 'lib/util.js', false],
  ['node_modules/', 'node_modules', true],
  ['a/b/c/', 'a/b/c', true],
  ['..hidden', '..hidden', false],
  ['dir/.env', 'dir/.env', false],
  ['ünïcode/名前.py', 'ünïcode/名前.py', false],
  ['./index.js', 'index.js', false],
  ['a/./b/', 'a/b', true],
];

const refused: [name: string, why: RegExp][] = [
  ['', /empty name/],
  ['../evil.sh', /outside the package root/],
  ['a/../../evil', /outside the package root/],
  ['a/..', /outside the package root/],
  ['/etc/passwd', /absolute path/],
  ['C:/Windows/evil', /absolute path/],
  ['c:evil', /absolute path/],
  ['..\\..\\evil', /backslash/],
  ['dir\\file.js', /backslash/],
  ['a//b', /empty path segment/],
  ['./', /names the package root/],
  ['.', /names the package root/],
  ['/', /absolute path/],
  ['evil\u0000.js', /control characters/],
  ['line\nbreak', /control characters/],
  [`${'x'.repeat(256)}`, /segment longer than 255 bytes/],
  [`${'d/'.repeat(1100)}f`, /longer than 2048 bytes/],
];

describe('validateEntryName', () => {
  for (const [name, path, trailingSlash] of accepted) {
    it(`accepts ${JSON.stringify(name)} as ${JSON.stringify(path)}`, () => {
      assert.deepEqual(validateEntryName(name, DEFAULT_PACKAGE_LIMITS), { path, trailingSlash });
    });
  }
  for (const [name, why] of refused) {
    it(`refuses ${JSON.stringify(name.slice(0, 40))} with InvalidParameterValueException`, () => {
      assert.throws(() => validateEntryName(name, DEFAULT_PACKAGE_LIMITS), (err: Error) => err.name === 'InvalidParameterValueException' && why.test(err.message));
    });
  }
});
