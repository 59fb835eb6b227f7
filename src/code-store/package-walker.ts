import type { Readable } from 'node:stream';
import { crc32, inflateRawSync } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { ApiError } from '../shared/index.ts';
import { entryType } from './entry-kind.ts';
import { validateEntryName } from './entry-name.ts';
import { packageRefused, quoteName, unzipFailed } from './package-errors.ts';
import type { PackageLimits } from './package-limits.ts';
import type { PackageEntry, PackageManifest } from './package-manifest.ts';
import { checkPackagePlan, checkUnzippedBytes, type PlannedEntry } from './package-plan.ts';
import { validateSymlinkTarget } from './symlink-target.ts';

/**
 * Receives the inflated bytes of one regular file. Must read `data` to its end
 * (or throw): the size and CRC checks run as the last chunk is read, so bytes
 * seen before the end are not yet known to be good.
 */
export type FileSink = (entry: PlannedEntry, data: AsyncIterable<Buffer>) => Promise<void>;

interface ZipEntry {
  readonly planned: PlannedEntry;
  readonly raw: Entry;
}

const ENCRYPTED_FLAG = 0x1;
const STORED = 0;
const DEFLATED = 8;
/**
 * Entries at most this large (compressed and declared) are inflated in one
 * synchronous call capped at their declared size + 1 byte, which is far
 * cheaper than a zlib stream per entry; larger ones stream.
 */
const SMALL_ENTRY_BYTES = 1024 * 1024;

/**
 * Reads a deployment package in two passes: first the whole central directory
 * (names, types, duplicates, overlaps, declared sizes: nothing inflated), then
 * every entry's data, counting the bytes really inflated against the limits and
 * checking each entry's size and CRC-32. Files go to `sink`; symlink targets
 * are read and checked here.
 *
 * Errors: a zip that cannot be read answers Lambda's "Could not unzip" text; an
 * unsafe one a specific InvalidParameterValueException; errors thrown by `sink`
 * (disk full, ...) pass through unchanged.
 */
export async function walkPackage(zip: Buffer, limits: PackageLimits, sink: FileSink): Promise<PackageManifest> {
  const zipfile = await zipOperation(() => yauzl.fromBufferPromise(zip, { lazyEntries: true, decodeStrings: false, validateEntrySizes: false, autoClose: false }));
  zipfile.on('error', () => {}); // errors reach us through eachEntry / streams; never crash on a late one
  try {
    if (zipfile.entryCount > limits.maxEntries) throw packageRefused(`it has ${zipfile.entryCount} entries; at most ${limits.maxEntries} are allowed`);
    const entries = await readCentralDirectory(zipfile, limits);
    checkPackagePlan(entries.map((e) => e.planned), zip.length, limits);
    const counter = { total: 0, add(n: number) { this.total += n; checkUnzippedBytes(this.total, zip.length, limits); } };
    const manifest: PackageEntry[] = [];
    for (const entry of entries) manifest.push(await readEntryData(zipfile, zip, entry, counter, sink));
    return { entries: manifest, unzippedBytes: counter.total, fileCount: manifest.filter((e) => e.kind === 'file').length };
  } finally {
    zipfile.close();
  }
}

async function readCentralDirectory(zipfile: ZipFile, limits: PackageLimits): Promise<ZipEntry[]> {
  const entries: ZipEntry[] = [];
  const iterator = zipfile.eachEntry();
  for (;;) {
    const next = await zipOperation(() => iterator.next());
    if (next.done) return entries;
    entries.push(planEntry(next.value, limits));
  }
}

function planEntry(raw: Entry, limits: PackageLimits): ZipEntry {
  const decoded = yauzl.getFileNameLowLevel(raw.generalPurposeBitFlag, raw.fileNameRaw, raw.extraFields, true);
  const name = validateEntryName(decoded, limits);
  const refuse = (why: string) => packageRefused(`entry ${quoteName(name.path)} ${why}`);
  if (raw.generalPurposeBitFlag & ENCRYPTED_FLAG) throw refuse('is encrypted');
  if (raw.compressionMethod !== STORED && raw.compressionMethod !== DEFLATED) throw refuse(`uses unsupported compression method ${raw.compressionMethod}`);
  const type = entryType({ ...name, versionMadeBy: raw.versionMadeBy, externalFileAttributes: raw.externalFileAttributes });
  if (type.kind === 'directory' && raw.uncompressedSize > 0) throw refuse('is a directory with data');
  if (type.kind === 'symlink' && raw.uncompressedSize > limits.maxLinkTargetBytes) throw refuse(`is a symlink with a target longer than ${limits.maxLinkTargetBytes} bytes`);
  const planned: PlannedEntry = {
    path: name.path,
    kind: type.kind,
    executable: type.executable,
    declaredSize: raw.uncompressedSize,
    compressedSize: raw.compressedSize,
    localHeaderOffset: raw.relativeOffsetOfLocalHeader,
  };
  return { planned, raw };
}

async function readEntryData(zipfile: ZipFile, zip: Buffer, entry: ZipEntry, counter: { add(n: number): void }, sink: FileSink): Promise<PackageEntry> {
  const { planned } = entry;
  const base = { path: planned.path, kind: planned.kind, executable: planned.executable };
  if (planned.kind === 'directory') return { ...base, size: 0 };
  const data = new CheckedData(await openEntryData(zipfile, zip, entry), entry, counter);
  if (planned.kind === 'file') {
    await sink(planned, data);
    if (!data.finished) throw new Error(`file sink did not read ${planned.path} to its end`);
    return { ...base, size: data.bytes };
  }
  const chunks: Buffer[] = [];
  for await (const chunk of data) chunks.push(chunk);
  let target: string;
  try {
    target = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw packageRefused(`symlink ${quoteName(planned.path)} has a target that is not valid UTF-8`);
  }
  return { ...base, size: data.bytes, linkTarget: validateSymlinkTarget(planned.path, target) };
}

/** One entry's inflated bytes, checked as they stream: never more than declared, limits on the running total, CRC at the end. */
class CheckedData implements AsyncIterable<Buffer> {
  bytes = 0;
  finished = false;
  readonly #source: EntrySource;
  readonly #entry: ZipEntry;
  readonly #counter: { add(n: number): void };

  constructor(source: EntrySource, entry: ZipEntry, counter: { add(n: number): void }) {
    this.#source = source;
    this.#entry = entry;
    this.#counter = counter;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    const { planned, raw } = this.#entry;
    let crc = 0;
    try {
      for await (const chunk of this.#source.chunks) {
        this.bytes += chunk.length;
        if (this.bytes > planned.declaredSize) throw unzipFailed(); // the header lied about the size
        this.#counter.add(chunk.length);
        crc = crc32(chunk, crc);
        yield chunk;
      }
    } finally {
      this.#source.close();
    }
    if (this.bytes !== planned.declaredSize || crc !== raw.crc32) throw unzipFailed();
    this.finished = true;
  }
}

/** An entry's inflated bytes, not yet checked, and how to release them early. */
interface EntrySource {
  readonly chunks: AsyncIterable<Buffer>;
  close(): void;
}

async function openEntryData(zipfile: ZipFile, zip: Buffer, entry: ZipEntry): Promise<EntrySource> {
  const { raw, planned } = entry;
  if (raw.compressedSize <= SMALL_ENTRY_BYTES && planned.declaredSize <= SMALL_ENTRY_BYTES) {
    const { fileDataStart } = await zipOperation(() => zipfile.readLocalFileHeaderPromise(raw, { minimal: true }));
    const stored = zip.subarray(fileDataStart, fileDataStart + raw.compressedSize);
    const inflate = () => (raw.compressionMethod === STORED ? stored : inflateRawSync(stored, { maxOutputLength: planned.declaredSize + 1 }));
    return { chunks: oneChunk(inflate), close: () => {} };
  }
  const stream = await zipOperation(() => zipfile.openReadStreamPromise(raw));
  return { chunks: zipRead(stream), close: () => stream.destroy() };
}

async function* oneChunk(inflate: () => Buffer): AsyncGenerator<Buffer> {
  const data = await zipOperation(async () => inflate());
  if (data.length > 0) yield data;
}

/** Iterates a yauzl stream, turning its failures (bad deflate data, truncation) into "Could not unzip". */
async function* zipRead(stream: Readable): AsyncGenerator<Buffer> {
  const iterator = stream[Symbol.asyncIterator]();
  for (;;) {
    const next = await zipOperation(() => iterator.next());
    if (next.done) return;
    yield next.value as Buffer;
  }
}

async function zipOperation<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw unzipFailed();
  }
}
