import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { TEMP_SUFFIX, writeFileAtomic } from './atomic-write.ts';
import { BLOB_OVERHEAD_BYTES, deriveDataKey, openBlob, sealBlob, sha256 } from './blob-cipher.ts';
import { CodeNotFoundError } from './code-store-errors.ts';
import { holdsIntact, isSha256Hex, type CodeStore, type StoredCode } from './code-store.ts';
import { loadOrCreateMasterKey } from './master-key.ts';

const BLOB_MODE = 0o600;
const CODE_DIR_MODE = 0o700;

/**
 * The code store on the local disk: `<dataDir>/code/<aa>/<sha256hex>`, where
 * `aa` is the first two hex digits, each file a sealed blob (blob-cipher.ts)
 * written atomically. Several instances (processes) may share one data dir.
 */
export class FileCodeStore implements CodeStore {
  readonly #root: string;
  readonly #dataKey: Buffer;

  private constructor(root: string, dataKey: Buffer) {
    this.#root = root;
    this.#dataKey = dataKey;
  }

  /**
   * Opens the store under `dataDir`, creating the master key on first start.
   * Rejects with MasterKeyError when the key file is unsafe (see loadOrCreateMasterKey).
   */
  static async open(dataDir: string): Promise<FileCodeStore> {
    const masterKey = await loadOrCreateMasterKey(dataDir);
    const root = join(dataDir, 'code');
    await mkdir(root, { recursive: true, mode: CODE_DIR_MODE });
    return new FileCodeStore(root, deriveDataKey(masterKey));
  }

  async put(zip: Buffer): Promise<StoredCode> {
    const digest = sha256(zip);
    const stored: StoredCode = { sha256Hex: digest.toString('hex'), sha256Base64: digest.toString('base64'), size: zip.length };
    if (await holdsIntact(this, stored.sha256Hex)) return stored;
    const path = this.#path(stored.sha256Hex);
    await mkdir(dirname(path), { recursive: true, mode: CODE_DIR_MODE });
    await writeFileAtomic(path, sealBlob(this.#dataKey, digest, zip), BLOB_MODE);
    return stored;
  }

  async get(sha256Hex: string): Promise<Buffer> {
    if (!isSha256Hex(sha256Hex)) throw new CodeNotFoundError(sha256Hex);
    let sealed: Buffer;
    try {
      sealed = await readFile(this.#path(sha256Hex));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new CodeNotFoundError(sha256Hex);
      throw err;
    }
    return openBlob(this.#dataKey, sha256Hex, sealed);
  }

  async has(sha256Hex: string): Promise<boolean> {
    if (!isSha256Hex(sha256Hex)) return false;
    try {
      return (await stat(this.#path(sha256Hex))).isFile();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  async delete(sha256Hex: string): Promise<void> {
    if (!isSha256Hex(sha256Hex)) return;
    await rm(this.#path(sha256Hex), { force: true });
  }

  /** Sums blob sizes from the directory listing (size minus the format overhead); in-flight temp files are not counted. */
  async totalSize(): Promise<number> {
    let total = 0;
    for (const shard of await readdir(this.#root)) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      for (const name of await readdir(join(this.#root, shard))) {
        if (!isSha256Hex(name) || name.endsWith(TEMP_SUFFIX)) continue;
        const size = await fileSize(join(this.#root, shard, name));
        if (size !== undefined) total += Math.max(0, size - BLOB_OVERHEAD_BYTES);
      }
    }
    return total;
  }

  #path(sha256Hex: string): string {
    return join(this.#root, sha256Hex.slice(0, 2), sha256Hex);
  }
}

async function fileSize(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // deleted meanwhile
    throw err;
  }
}
