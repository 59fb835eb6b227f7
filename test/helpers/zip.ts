/** Builds deployment packages in memory for tests. */
import yazl from 'yazl';

export interface ZipEntry {
  readonly name: string;
  readonly content: string | Buffer;
  /** Unix mode, e.g. 0o755 for an executable `bootstrap`. */
  readonly mode?: number;
}

export async function makeZip(entries: readonly ZipEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) {
    zip.addBuffer(Buffer.isBuffer(e.content) ? e.content : Buffer.from(e.content), e.name, { mode: e.mode ?? 0o100644, mtime: new Date(0) });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A zip with one Node.js handler file `index.js` exporting `handler`. */
export function nodeHandlerZip(source: string, file = 'index.js'): Promise<Buffer> {
  return makeZip([{ name: file, content: source }]);
}
