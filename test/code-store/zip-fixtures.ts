/**
 * Builders for test deployment packages: `yazlZip` for well-formed archives
 * (yazl refuses hostile names, as it should), `rawZip` for anything, written
 * byte by byte so headers can lie.
 */
import { crc32, deflateRawSync } from 'node:zlib';
import yazl from 'yazl';

export interface YazlEntry {
  readonly name: string;
  readonly data?: Buffer | string;
  /** Unix mode including the file type (default 0o100644; 0o120777 for a symlink whose data is its target). */
  readonly mode?: number;
  readonly directory?: boolean;
  readonly compress?: boolean;
}

export async function yazlZip(entries: readonly YazlEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) {
    if (e.directory) zip.addEmptyDirectory(e.name, e.mode === undefined ? {} : { mode: e.mode });
    else zip.addBuffer(Buffer.from(e.data ?? ''), e.name, { mode: e.mode ?? 0o100644, compress: e.compress ?? true });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export interface RawEntry {
  readonly name: string | Buffer;
  readonly data?: Buffer;
  /** Deflate `data` (default) or store it. */
  readonly method?: 0 | 8;
  /** Data already compressed with `method` (skips compression; then set `uncompressedSize`). */
  readonly precompressed?: Buffer;
  readonly uncompressedSize?: number;
  readonly crc?: number;
  /** Unix mode (with file type); written with "made by Unix". */
  readonly mode?: number;
  readonly flags?: number;
  /** Point this entry's central record at another entry's local header (overlap). */
  readonly shareDataOf?: number;
}

/** A zip written by hand: local headers and data, central directory, end record. Every field can be forced. */
export function rawZip(entries: readonly RawEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  const offsets: number[] = [];
  const records: { crc: number; csize: number; usize: number; method: number }[] = [];
  let offset = 0;
  entries.forEach((e, i) => {
    const name = Buffer.isBuffer(e.name) ? e.name : Buffer.from(e.name, 'utf8');
    const data = e.data ?? Buffer.alloc(0);
    const method = e.method ?? 8;
    const body = e.precompressed ?? (method === 8 ? deflateRawSync(data) : data);
    const rec = { crc: e.crc ?? crc32(data), csize: body.length, usize: e.uncompressedSize ?? data.length, method };
    const flags = (e.flags ?? 0) | (Buffer.isBuffer(e.name) ? 0 : 0x800);
    const shared = e.shareDataOf;
    if (shared !== undefined) {
      offsets.push(offsets[shared]!);
      records.push(records[shared]!);
    } else {
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(flags, 6);
      local.writeUInt16LE(method, 8);
      local.writeUInt32LE(rec.crc >>> 0, 14);
      local.writeUInt32LE(rec.csize, 18);
      local.writeUInt32LE(rec.usize, 22);
      local.writeUInt16LE(name.length, 26);
      parts.push(local, name, body);
      offsets.push(offset);
      records.push(rec);
      offset += 30 + name.length + body.length;
    }
    const r = records[i]!;
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE((3 << 8) | 20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(flags, 8);
    cd.writeUInt16LE(r.method, 10);
    cd.writeUInt32LE(r.crc >>> 0, 16);
    cd.writeUInt32LE(r.csize, 20);
    cd.writeUInt32LE(r.usize, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(((e.mode ?? 0o100644) << 16) >>> 0, 38);
    cd.writeUInt32LE(offsets[i]!, 42);
    central.push(cd, name);
  });
  const cdBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cdBytes, end]);
}

/** `totalBytes` of zeros, deflated (300 MB take about half a second). */
export function deflatedZeros(totalBytes: number): Buffer {
  return deflateRawSync(Buffer.alloc(totalBytes));
}
