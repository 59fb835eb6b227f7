import yazl from 'yazl';

/** The bytes of a zip archive (yazl): `fill` adds its entries, then the archive is ended and read whole. */
export async function zipBytes(fill: (zip: yazl.ZipFile) => void | Promise<void>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
  await fill(zip);
  zip.end();
  return done;
}
