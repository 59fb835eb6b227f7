import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { extractPackage, UNZIP_FAILED_MESSAGE } from '../../src/code-store/index.ts';
import { deflatedZeros, rawZip, yazlZip } from './zip-fixtures.ts';

const MB = 1024 * 1024;

describe('extractPackage', () => {
  let root: string;
  let n = 0;
  const fresh = () => join(root, `pkg-${++n}`, 'code');
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'flint-extract-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** Everything in the parent of `dest`: a failed extraction must leave it empty. */
  const siblings = async (dest: string) => readdir(join(dest, '..')).catch(() => []);

  it('unpacks files, directories and symlinks, read-only, keeping a bootstrap executable', async () => {
    const zip = await yazlZip([
      { name: 'bootstrap', data: '#!/bin/sh\necho from-bootstrap\n', mode: 0o100755 },
      { name: 'index.js', data: 'module.exports = 1;', mode: 0o100600 },
      { name: 'lib/deep/util.js', data: 'util' },
      { name: 'empty-dir/', directory: true },
      { name: 'lib/main.js', data: '../index.js', mode: 0o120777 },
    ]);
    const dest = fresh();
    const manifest = await extractPackage(zip, dest);
    assert.equal(manifest.fileCount, 3);
    assert.equal((await stat(join(dest, 'bootstrap'))).mode & 0o777, 0o555);
    assert.equal((await stat(join(dest, 'index.js'))).mode & 0o777, 0o444, 'world-readable, whatever the archive said');
    assert.equal((await stat(join(dest, 'lib/deep/util.js'))).mode & 0o777, 0o444);
    for (const dir of ['', 'lib', 'lib/deep', 'empty-dir']) assert.equal((await stat(join(dest, dir))).mode & 0o777, 0o755, dir);
    assert.equal(await readlink(join(dest, 'lib/main.js')), '../index.js');
    assert.equal(await readFile(join(dest, 'lib/main.js'), 'utf8'), 'module.exports = 1;');
    const { stdout } = await promisify(execFile)(join(dest, 'bootstrap'));
    assert.equal(stdout, 'from-bootstrap\n');
    assert.deepEqual(await siblings(dest), ['code'], 'no temp directory left');
  });

  it('unpacks an empty zip into an empty directory', async () => {
    const dest = fresh();
    await extractPackage(await yazlZip([]), dest);
    assert.deepEqual(await readdir(dest), []);
  });

  it('refuses to write into an existing directory and leaves it untouched', async () => {
    const dest = fresh();
    await mkdir(dest, { recursive: true });
    await writeFile(join(dest, 'keep.txt'), 'mine');
    await assert.rejects(extractPackage(await yazlZip([{ name: 'a', data: 'x' }]), dest), { code: 'EEXIST' });
    assert.deepEqual(await readdir(dest), ['keep.txt']);
  });

  it('lets exactly one of two concurrent extractions to the same directory win', async () => {
    const zip = await yazlZip(Array.from({ length: 50 }, (_, i) => ({ name: `f${i}.js`, data: `// ${i}` })));
    const dest = fresh();
    const results = await Promise.allSettled([extractPackage(zip, dest), extractPackage(zip, dest)]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    assert.equal((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason.code, 'EEXIST');
    assert.equal((await readdir(dest)).length, 50);
    assert.deepEqual(await siblings(dest), ['code']);
  });

  const failing: [label: string, zip: () => Promise<Buffer> | Buffer, message: RegExp][] = [
    ['a CRC mismatch in the last entry, after others were written', () => rawZip([
      { name: 'good-1.js', data: Buffer.from('one') },
      { name: 'lib/good-2.js', data: Buffer.from('two') },
      { name: 'bad.js', data: Buffer.from('three'), crc: 1 },
    ]), new RegExp(UNZIP_FAILED_MESSAGE.replace(/\./g, '\\.'))],
    ['a bomb whose header understates its size', () => rawZip([{ name: 'ok.txt', data: Buffer.from('ok') }, { name: 'bomb', precompressed: deflatedZeros(50 * MB), uncompressedSize: 4096 }]), /Could not unzip/],
    ['a symlink escaping the root, listed after files', () => rawZip([{ name: 'a.js', data: Buffer.from('a') }, { name: 'etc', data: Buffer.from('../../../etc'), mode: 0o120777 }]), /outside the package root/],
    ['zip-slip', () => rawZip([{ name: 'a.js', data: Buffer.from('a') }, { name: '../escaped.js', data: Buffer.from('x') }]), /outside the package root/],
    ['a truncated archive', async () => (await yazlZip([{ name: 'a.js', data: 'x'.repeat(5000) }])).subarray(0, 100), /Could not unzip/],
  ];
  for (const [label, build, message] of failing) {
    it(`leaves nothing behind when it fails on ${label}`, async () => {
      const dest = fresh();
      await assert.rejects(extractPackage(await build(), dest), (err: Error) => err.name === 'InvalidParameterValueException' && message.test(err.message));
      await assert.rejects(lstat(dest), { code: 'ENOENT' });
      assert.deepEqual(await siblings(dest), []);
      await assert.rejects(lstat(join(dest, '..', '..', 'escaped.js')), { code: 'ENOENT' });
    });
  }

  // Its speed is a figure of bench/code-store.ts, not an assertion here.
  it('extracts a 1000-file package into its 40 folders', async () => {
    const zip = await yazlZip(Array.from({ length: 1000 }, (_, i) => ({ name: `node_modules/pkg-${i % 40}/file-${i}.js`, data: `module.exports = ${i};\n`.repeat(20) })));
    const dest = fresh();
    await extractPackage(zip, dest);
    const folders = await readdir(join(dest, 'node_modules'));
    assert.equal(folders.length, 40);
    const files = await Promise.all(folders.map((f) => readdir(join(dest, 'node_modules', f))));
    assert.equal(files.flat().length, 1000);
  });
});
