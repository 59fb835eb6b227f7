import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { DEFAULT_PACKAGE_LIMITS, inspectPackage, UNZIP_FAILED_MESSAGE } from '../../src/code-store/index.ts';
import { walkPackage } from '../../src/code-store/package-walker.ts';
import { deflatedZeros, rawZip, yazlZip } from './zip-fixtures.ts';

const MB = 1024 * 1024;
const unzipFailed = (err: Error) => err.name === 'InvalidParameterValueException' && err.message === UNZIP_FAILED_MESSAGE;
const refused = (why: RegExp) => (err: Error) => err.name === 'InvalidParameterValueException' && why.test(err.message);
const tooLarge = (err: Error) => err.name === 'InvalidParameterValueException' && err.message === 'Unzipped size must be smaller than 262144000 bytes';

describe('inspectPackage: well-formed packages', () => {
  it('lists files, directories, executables and in-root symlinks with their inflated sizes', async () => {
    const zip = await yazlZip([
      { name: 'index.js', data: 'exports.handler = async () => 42;' },
      { name: 'bootstrap', data: '#!/bin/sh\necho hi\n', mode: 0o100755 },
      { name: 'lib/', directory: true },
      { name: 'lib/index-link.js', data: '../index.js', mode: 0o120777 },
      { name: 'stored.txt', data: 'not compressed', compress: false },
    ]);
    const manifest = await inspectPackage(zip);
    assert.deepEqual(manifest.entries, [
      { path: 'index.js', kind: 'file', executable: false, size: 33 },
      { path: 'bootstrap', kind: 'file', executable: true, size: 18 },
      { path: 'lib', kind: 'directory', executable: false, size: 0 },
      { path: 'lib/index-link.js', kind: 'symlink', executable: false, size: 11, linkTarget: '../index.js' },
      { path: 'stored.txt', kind: 'file', executable: false, size: 14 },
    ]);
    assert.equal(manifest.fileCount, 3);
    assert.equal(manifest.unzippedBytes, 33 + 18 + 11 + 14);
  });

  it('accepts an empty zip, as Lambda does', async () => {
    const zip = await yazlZip([]);
    assert.equal(zip.length, 22);
    assert.deepEqual(await inspectPackage(zip), { entries: [], unzippedBytes: 0, fileCount: 0 });
  });

  it('accepts a name that is not UTF-8 (CP437, as old tools write it)', async () => {
    const manifest = await inspectPackage(rawZip([{ name: Buffer.from([0x63, 0x61, 0x66, 0x82, 0x2e, 0x6a, 0x73]), data: Buffer.from('x') }]));
    assert.equal(manifest.entries[0]?.path, 'café.js');
  });
});

describe('inspectPackage: archives that are not readable zips', () => {
  it('answers Lambda\'s text for random bytes', async () => {
    await assert.rejects(inspectPackage(randomBytes(4096)), unzipFailed);
  });
  it('answers Lambda\'s text for an empty upload', async () => {
    await assert.rejects(inspectPackage(Buffer.alloc(0)), unzipFailed);
  });
  it('answers Lambda\'s text for a zip cut short', async () => {
    const zip = await yazlZip([{ name: 'a.js', data: 'x'.repeat(10_000) }, { name: 'b.js', data: 'y' }]);
    for (const keep of [zip.length - 1, zip.length - 30, Math.floor(zip.length / 2), 10]) {
      await assert.rejects(inspectPackage(zip.subarray(0, keep)), unzipFailed, `kept ${keep} bytes`);
    }
  });
  it('answers Lambda\'s text for corrupt deflate data', async () => {
    const zip = rawZip([{ name: 'a.js', data: randomBytes(50_000), method: 8 }]);
    zip[30 + 4 + 100]! ^= 0xff;
    await assert.rejects(inspectPackage(zip), unzipFailed);
  });
  it('answers Lambda\'s text for a CRC mismatch', async () => {
    await assert.rejects(inspectPackage(rawZip([{ name: 'a.js', data: Buffer.from('hello'), crc: 12345 }])), unzipFailed);
  });
  it('answers Lambda\'s text when an entry inflates to fewer bytes than declared', async () => {
    await assert.rejects(inspectPackage(rawZip([{ name: 'a.js', data: Buffer.from('hello'), uncompressedSize: 500 }])), unzipFailed);
  });
});

describe('inspectPackage: hostile names and links', () => {
  const cases: [label: string, zip: () => Promise<Buffer> | Buffer, why: RegExp][] = [
    ['zip-slip "../"', () => rawZip([{ name: '../../etc/cron.d/evil', data: Buffer.from('x') }]), /"\.\.\/\.\.\/etc\/cron\.d\/evil" points outside the package root/],
    ['zip-slip in the middle of a path', () => rawZip([{ name: 'lib/../../evil.sh', data: Buffer.from('x') }]), /outside the package root/],
    ['an absolute path', () => rawZip([{ name: '/etc/passwd', data: Buffer.from('x') }]), /absolute path/],
    ['a Windows drive path', () => rawZip([{ name: 'C:/evil.dll', data: Buffer.from('x') }]), /absolute path/],
    ['backslash traversal', () => rawZip([{ name: '..\\..\\evil.sh', data: Buffer.from('x') }]), /backslash/],
    ['a NUL byte in a name', () => rawZip([{ name: 'index.js\u0000.png', data: Buffer.from('x') }]), /control characters/],
    ['a symlink to an absolute path', () => rawZip([{ name: 'passwd', data: Buffer.from('/etc/passwd'), mode: 0o120777 }]), /absolute path/],
    ['a symlink climbing out of the root', () => rawZip([{ name: 'lib/up', data: Buffer.from('../../etc'), mode: 0o120777 }]), /outside the package root/],
    ['a symlink hiding ".." after a name', () => rawZip([{ name: 'x', data: Buffer.from('a/b/../../..'), mode: 0o120777 }]), /".." after a name/],
    ['a file written through a symlink', () => rawZip([{ name: 'out', data: Buffer.from('lib'), mode: 0o120777 }, { name: 'out/evil.sh', data: Buffer.from('x') }]), /below the symlink "out"/],
    ['a duplicate entry', () => rawZip([{ name: 'index.js', data: Buffer.from('a') }, { name: 'index.js', data: Buffer.from('b') }]), /"index\.js" appears more than once/],
    ['the same file spelt "./index.js" and "index.js"', () => rawZip([{ name: './index.js', data: Buffer.from('a') }, { name: 'index.js', data: Buffer.from('b') }]), /"index\.js" appears more than once/],
    ['a FIFO entry', () => rawZip([{ name: 'pipe', mode: 0o010644 }]), /unsupported file type/],
    ['an encrypted entry', () => rawZip([{ name: 'secret.js', data: Buffer.from('x'), flags: 0x1 }]), /is encrypted/],
    ['an unsupported compression method', () => rawZip([{ name: 'a.js', precompressed: Buffer.from('BZh9'), method: 12 as 8, uncompressedSize: 4 }]), /unsupported compression method 12/],
  ];
  for (const [label, build, why] of cases) {
    it(`refuses ${label}`, async () => {
      await assert.rejects(inspectPackage(await build()), refused(why));
    });
  }
});

describe('inspectPackage: zip bombs', () => {
  const zeros300 = deflatedZeros(300 * MB);

  /** Bytes of each entry's data handed on by the walker that inspectPackage and extractPackage share. */
  const countingSink = () => {
    const bytes = new Map<string, number>();
    const sink = async (entry: { path: string }, data: AsyncIterable<Buffer>) => {
      for await (const chunk of data) bytes.set(entry.path, (bytes.get(entry.path) ?? 0) + chunk.length);
    };
    return { bytes, sink };
  };

  it('refuses 300 MB of zeros with AWS\'s size text, before inflating anything', async () => {
    const zip = rawZip([{ name: 'zeros.bin', precompressed: zeros300, uncompressedSize: 300 * MB }]);
    await assert.rejects(inspectPackage(zip), tooLarge);
    const { bytes, sink } = countingSink();
    await assert.rejects(walkPackage(zip, DEFAULT_PACKAGE_LIMITS, sink), tooLarge);
    assert.deepEqual([...bytes], [], 'refused from the headers: no data read');
  });

  it('refuses a header that understates the size, passing on no more than the declared bytes', async () => {
    const zip = rawZip([{ name: 'small.txt', precompressed: zeros300, uncompressedSize: 1000 }]);
    await assert.rejects(inspectPackage(zip), unzipFailed);
    const { bytes, sink } = countingSink();
    await assert.rejects(walkPackage(zip, DEFAULT_PACKAGE_LIMITS, sink), unzipFailed);
    assert.ok((bytes.get('small.txt') ?? 0) <= 1000, `stopped at the declared size: ${bytes.get('small.txt')} bytes passed on`);
  });

  it('refuses many honest entries that add up past the quota', async () => {
    const tenMb = deflatedZeros(10 * MB);
    const zip = rawZip(Array.from({ length: 26 }, (_, i) => ({ name: `part-${i}.bin`, precompressed: tenMb, uncompressedSize: 10 * MB })));
    await assert.rejects(inspectPackage(zip), tooLarge);
  });

  it('refuses entries that share one compressed stream (non-recursive bomb)', async () => {
    const zip = rawZip([{ name: 'a', data: Buffer.alloc(1000) }, ...Array.from({ length: 5 }, (_, i) => ({ name: `copy-${i}`, shareDataOf: 0 }))]);
    await assert.rejects(inspectPackage(zip), refused(/share data/));
  });

  it('refuses an extreme compression ratio', async () => {
    const limits = { ...DEFAULT_PACKAGE_LIMITS, ratioFloorBytes: 0, maxCompressionRatio: 100 };
    const zip = rawZip([{ name: 'zeros.bin', data: Buffer.alloc(MB) }]);
    await assert.rejects(inspectPackage(zip, limits), refused(/compression ratio exceeds 100:1/));
  });

  it('refuses more entries than the cap from the end record alone', async () => {
    const limits = { ...DEFAULT_PACKAGE_LIMITS, maxEntries: 10 };
    const zip = rawZip(Array.from({ length: 11 }, (_, i) => ({ name: `f${i}`, data: Buffer.from('x') })));
    await assert.rejects(inspectPackage(zip, limits), refused(/11 entries; at most 10/));
  });

  it('applies the quota to the whole package, not to each entry', async () => {
    const limits = { ...DEFAULT_PACKAGE_LIMITS, maxUnzippedBytes: 1000 };
    const zip = rawZip([{ name: 'a', data: Buffer.alloc(600) }, { name: 'b', data: Buffer.alloc(600) }]);
    await assert.rejects(inspectPackage(zip, limits), (err: Error) => err.message === 'Unzipped size must be smaller than 1000 bytes');
  });
});

describe('inspectPackage: odd symlinks', () => {
  it('refuses a symlink target that is not UTF-8', async () => {
    await assert.rejects(inspectPackage(rawZip([{ name: 'l', data: Buffer.from([0x61, 0xff, 0xfe]), mode: 0o120777 }])), refused(/not valid UTF-8/));
  });
  it('refuses a symlink target longer than the cap, from its header', async () => {
    await assert.rejects(inspectPackage(rawZip([{ name: 'l', data: Buffer.from('a/'.repeat(600)), mode: 0o120777 }])), refused(/target longer than 1024 bytes/));
  });
  it('accepts a symlink to a sibling directory and files next to it', async () => {
    const manifest = await inspectPackage(rawZip([{ name: 'v2/index.js', data: Buffer.from('x') }, { name: 'current', data: Buffer.from('v2'), mode: 0o120777 }]));
    assert.equal(manifest.entries[1]?.linkTarget, 'v2');
  });
});
