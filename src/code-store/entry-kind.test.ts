import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { entryType, type EntryType } from './entry-kind.ts';

const UNIX = (3 << 8) | 20;
const DOS = 20;
const attrs = (path: string, versionMadeBy: number, mode: number, dosBits = 0, trailingSlash = false) => ({
  path,
  trailingSlash,
  versionMadeBy,
  externalFileAttributes: ((mode << 16) | dosBits) >>> 0,
});

const table: [label: string, input: ReturnType<typeof attrs>, expected: EntryType | RegExp][] = [
  ['a regular Unix file', attrs('a.js', UNIX, 0o100644), { kind: 'file', executable: false }],
  ['an executable Unix file', attrs('bootstrap', UNIX, 0o100755), { kind: 'file', executable: true }],
  ['an owner-only executable', attrs('run', UNIX, 0o100700), { kind: 'file', executable: true }],
  ['a Unix directory', attrs('lib', UNIX, 0o040755), { kind: 'directory', executable: false }],
  ['a Unix symlink', attrs('l', UNIX, 0o120777), { kind: 'symlink', executable: false }],
  ['an OS X symlink', attrs('l', (19 << 8) | 20, 0o120777), { kind: 'symlink', executable: false }],
  ['a file from a DOS host', attrs('a.js', DOS, 0, 0x20), { kind: 'file', executable: false }],
  ['a DOS directory bit', attrs('lib', DOS, 0, 0x10), { kind: 'directory', executable: false }],
  ['a trailing slash without mode', attrs('lib', UNIX, 0, 0, true), { kind: 'directory', executable: false }],
  ['a symlink mode from a DOS host (ignored)', attrs('l', DOS, 0o120777), { kind: 'file', executable: false }],
  ['a FIFO', attrs('fifo', UNIX, 0o010644), /unsupported file type/],
  ['a block device', attrs('sda', UNIX, 0o060644), /unsupported file type/],
  ['a character device', attrs('tty', UNIX, 0o020644), /unsupported file type/],
  ['a socket', attrs('sock', UNIX, 0o140644), /unsupported file type/],
  ['a symlink named like a directory', attrs('l', UNIX, 0o120777, 0, true), /symlink whose name ends/],
  ['a regular file named like a directory', attrs('f', UNIX, 0o100644, 0, true), /named like a directory/],
];

describe('entryType', () => {
  for (const [label, input, expected] of table) {
    it(`classifies ${label}`, () => {
      if (expected instanceof RegExp) assert.throws(() => entryType(input), (err: Error) => err.name === 'InvalidParameterValueException' && expected.test(err.message));
      else assert.deepEqual(entryType(input), expected);
    });
  }
});
