import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pathExists, syncDir } from './atomic-write.ts';
import { MasterKeyError } from './code-store-errors.ts';

export const MASTER_KEY_BYTES = 32;
const KEY_DIR_MODE = 0o700;
const KEY_FILE_MODE = 0o600;

/**
 * Loads the master key from `<dataDir>/keys/master.key`, creating 32 random
 * bytes there (file 0600, directory 0700) on first start. Creation is atomic
 * and exclusive (temp file + fsync + link), so two processes starting at once
 * agree on one key.
 *
 * Post: resolves with exactly 32 bytes. Rejects with MasterKeyError if the file
 * is not a regular file, is readable or writable by group or others, has the
 * wrong length, or if the key directory is writable by group or others.
 */
export async function loadOrCreateMasterKey(dataDir: string): Promise<Buffer> {
  const dir = join(dataDir, 'keys');
  const path = join(dir, 'master.key');
  await ensureKeyDir(dir);
  if (!(await pathExists(path))) await createKeyFile(dir, path);
  const info = await stat(path);
  if (!info.isFile()) throw new MasterKeyError(`master key ${path} is not a regular file`);
  if ((info.mode & 0o077) !== 0) {
    throw new MasterKeyError(`master key ${path} has mode ${(info.mode & 0o777).toString(8)}; it must be readable by its owner only (chmod 600 ${path})`);
  }
  const key = await readFile(path);
  if (key.length !== MASTER_KEY_BYTES) throw new MasterKeyError(`master key ${path} holds ${key.length} bytes; expected ${MASTER_KEY_BYTES}`);
  return key;
}

async function ensureKeyDir(dir: string): Promise<void> {
  const created = await mkdir(dir, { recursive: true, mode: KEY_DIR_MODE });
  if (created !== undefined) await chmod(dir, KEY_DIR_MODE); // mode is filtered by the umask; be exact
  const info = await stat(dir);
  if (!info.isDirectory()) throw new MasterKeyError(`${dir} is not a directory`);
  if ((info.mode & 0o022) !== 0) throw new MasterKeyError(`key directory ${dir} has mode ${(info.mode & 0o777).toString(8)}; it must not be writable by group or others (chmod 700 ${dir})`);
}

async function createKeyFile(dir: string, path: string): Promise<void> {
  const tmp = join(dir, `.master.key.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', KEY_FILE_MODE);
  try {
    await fh.writeFile(randomBytes(MASTER_KEY_BYTES));
    await fh.chmod(KEY_FILE_MODE);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await link(tmp, path); // fails if another process created the key first: theirs wins
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await unlink(tmp);
  }
  await syncDir(dir);
}
