import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateSymlinkTarget } from './symlink-target.ts';

const accepted: [link: string, target: string, canonical: string][] = [
  ['current', 'lib/v2', 'lib/v2'],
  ['lib/link', '../index.js', '../index.js'],
  ['a/b/c', '../../x', '../../x'],
  ['here', '.', '.'],
  ['a/self', './b/', 'b'],
  ['node_modules/.bin/tsc', '../typescript/bin/tsc', '../typescript/bin/tsc'],
];

const refused: [link: string, target: string, why: RegExp][] = [
  ['escape', '../outside', /outside the package root/],
  ['a/escape', '../../outside', /outside the package root/],
  ['abs', '/etc/passwd', /absolute path/],
  ['hidden-climb', 'a/b/../..', /".." after a name/],
  ['sneaky', 'x/../../y', /".." after a name/],
  ['empty', '', /empty target/],
  ['nul', 'a\u0000b', /NUL/],
  ['bs', '..\\..\\etc', /backslash/],
];

describe('validateSymlinkTarget', () => {
  for (const [link, target, canonical] of accepted) {
    it(`accepts ${link} -> ${target}`, () => assert.equal(validateSymlinkTarget(link, target), canonical));
  }
  for (const [link, target, why] of refused) {
    it(`refuses ${link} -> ${JSON.stringify(target)}`, () => {
      assert.throws(() => validateSymlinkTarget(link, target), (err: Error) => err.name === 'InvalidParameterValueException' && why.test(err.message));
    });
  }
});
