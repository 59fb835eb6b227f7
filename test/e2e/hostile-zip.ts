/**
 * Builds zip archives byte by byte, including the hostile ones a normal zip
 * library refuses to write: parent-directory and absolute entry names,
 * symlinks pointing out of the root, overlapping entries and huge streams.
 */
import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';

export interface RawEntry {
  readonly name: string;
  /** Uncompressed bytes (ignored when `precomputed` is given). */
  readonly data?: Buffer;
  readonly deflate?: boolean;
  /** Full Unix mode including the file type, e.g. 0o100644 or 0o120777 for a symlink. */
  readonly mode?: number;
  readonly precomputed?: { readonly compressed: Buffer; readonly crc: number; readonly size: number };
}

interface Sealed {
  readonly name: Buffer;
  readonly method: number;
  readonly compressed: Buffer;
  readonly crc: number;
  readonly size: number;
  readonly mode: number;
}

function seal(e: RawEntry): Sealed {
  const name = Buffer.from(e.name, 'utf8');
  if (e.precomputed) return { name, method: 8, ...e.precomputed, mode: e.mode ?? 0o100644 };
  const data = e.data ?? Buffer.alloc(0);
  const compressed = e.deflate ? deflateRawSync(data) : data;
  return { name, method: e.deflate ? 8 : 0, compressed, crc: crc32(data), size: data.length, mode: e.mode ?? 0o100644 };
}

function localHeader(s: Sealed): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(0x0800, 6);
  h.writeUInt16LE(s.method, 8);
  h.writeUInt16LE(0, 10);
  h.writeUInt16LE(0x21, 12);
  h.writeUInt32LE(s.crc >>> 0, 14);
  h.writeUInt32LE(s.compressed.length, 18);
  h.writeUInt32LE(s.size, 22);
  h.writeUInt16LE(s.name.length, 26);
  h.writeUInt16LE(0, 28);
  return Buffer.concat([h, s.name]);
}

function centralHeader(s: Sealed, name: Buffer, offset: number): Buffer {
  const h = Buffer.alloc(46);
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt16LE((3 << 8) | 20, 4);
  h.writeUInt16LE(20, 6);
  h.writeUInt16LE(0x0800, 8);
  h.writeUInt16LE(s.method, 10);
  h.writeUInt16LE(0, 12);
  h.writeUInt16LE(0x21, 14);
  h.writeUInt32LE(s.crc >>> 0, 16);
  h.writeUInt32LE(s.compressed.length, 20);
  h.writeUInt32LE(s.size, 24);
  h.writeUInt16LE(name.length, 28);
  h.writeUInt32LE((s.mode << 16) >>> 0, 38);
  h.writeUInt32LE(offset, 42);
  return Buffer.concat([h, name]);
}

function endOfCentralDirectory(count: number, size: number, offset: number): Buffer {
  const h = Buffer.alloc(22);
  h.writeUInt32LE(0x06054b50, 0);
  h.writeUInt16LE(count, 8);
  h.writeUInt16LE(count, 10);
  h.writeUInt32LE(size, 12);
  h.writeUInt32LE(offset, 16);
  return h;
}

/** A well-formed archive of the given entries, whatever their names and modes. */
export function rawZip(entries: readonly RawEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const s = seal(e);
    central.push(centralHeader(s, s.name, offset));
    const local = Buffer.concat([localHeader(s), s.compressed]);
    parts.push(local);
    offset += local.length;
  }
  const cd = Buffer.concat(central);
  return Buffer.concat([...parts, cd, endOfCentralDirectory(entries.length, cd.length, offset)]);
}

/** A "non-recursive" bomb: one small deflated entry that `copies` central records all point at. */
export function overlappingBomb(copies: number, bytesEach: number): Buffer {
  const s = seal({ name: 'f0', data: Buffer.alloc(bytesEach), deflate: true });
  const local = Buffer.concat([localHeader(s), s.compressed]);
  const cd = Buffer.concat(Array.from({ length: copies }, (_, i) => centralHeader(s, Buffer.from(`f${i}`), 0)));
  return Buffer.concat([local, cd, endOfCentralDirectory(copies, cd.length, local.length)]);
}

/** One entry of `size` zero bytes, deflated in a stream (no buffer of that size is ever held). */
export async function zerosEntry(name: string, size: number): Promise<RawEntry> {
  const chunk = Buffer.alloc(1024 * 1024);
  const deflate = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (d: Buffer) => out.push(d));
  const done = new Promise<void>((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  let crc = 0;
  for (let left = size; left > 0; left -= chunk.length) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    crc = crc32(piece, crc);
    if (!deflate.write(piece)) await new Promise((r) => deflate.once('drain', r));
  }
  deflate.end();
  await done;
  return { name, precomputed: { compressed: Buffer.concat(out), crc, size } };
}
