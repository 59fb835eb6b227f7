import { constants } from 'node:fs';
import { chmod, mkdir, mkdtemp, open, rename, rm, symlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pathExists } from './atomic-write.ts';
import { DEFAULT_PACKAGE_LIMITS, type PackageLimits } from './package-limits.ts';
import type { PackageManifest } from './package-manifest.ts';
import { walkPackage } from './package-walker.ts';
import { TaskPool } from './task-pool.ts';

const FILE_MODE = 0o444;
const EXECUTABLE_MODE = 0o555;
const DIR_MODE = 0o755;
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
/** Files up to this size are buffered (already checked) and written in parallel while the next entries inflate. */
const BUFFERED_FILE_BYTES = 1024 * 1024;
const PARALLEL_WRITES = 16;

/**
 * Unpacks a deployment package into `destDir`, which must not exist yet, with
 * the same checks as `inspectPackage`. Atomic: it extracts into a hidden temp
 * sibling and renames it into place, so `destDir` either appears complete or
 * not at all; on any failure the temp directory is removed.
 *
 * Result: files read-only (0444, or 0555 when the archive gave them an execute
 * bit, so `bootstrap` stays runnable), directories 0755, symlinks whose target
 * stays inside `destDir`. Modes do not depend on the process umask.
 *
 * Errors: InvalidParameterValueException for a bad package (see
 * inspectPackage); an Error with `code: 'EEXIST'` when `destDir` exists or
 * another extraction renamed its copy first (a cache keyed by code SHA-256 may
 * treat that as success); file-system errors unchanged.
 *
 * Not durable across power loss (no fsync per file): a cache built on it should
 * be discarded when its host restarts.
 */
export async function extractPackage(zip: Buffer, destDir: string, limits: PackageLimits = DEFAULT_PACKAGE_LIMITS): Promise<PackageManifest> {
  const dest = resolve(destDir);
  if (await pathExists(dest)) throw alreadyExists(dest);
  await mkdir(dirname(dest), { recursive: true });
  const tmp = await mkdtemp(join(dirname(dest), `.${basename(dest)}.extract-`));
  const writes = new TaskPool(PARALLEL_WRITES);
  try {
    const dirs = new Set<string>(['']);
    const manifest = await walkPackage(zip, limits, async (entry, data) => {
      const parent = dirname(entry.path);
      if (!dirs.has(parent === '.' ? '' : parent)) {
        addParents(dirs, entry.path);
        await mkdir(join(tmp, parent), { recursive: true });
      }
      const path = join(tmp, entry.path);
      const mode = entry.executable ? EXECUTABLE_MODE : FILE_MODE;
      if (entry.declaredSize > BUFFERED_FILE_BYTES) return writeFile(path, data, mode);
      const chunks: Buffer[] = [];
      for await (const chunk of data) chunks.push(chunk);
      await writes.run(() => writeFile(path, chunks, mode));
    });
    await writes.drain();
    // Symlinks last: no file is ever written while a link exists in the tree.
    for (const e of manifest.entries) {
      if (e.kind === 'directory') addParents(dirs, `${e.path}/`);
      if (e.kind === 'symlink') addParents(dirs, e.path);
    }
    for (const dir of dirs) await mkdir(join(tmp, dir), { recursive: true });
    for (const e of manifest.entries) if (e.kind === 'symlink') await symlink(e.linkTarget!, join(tmp, e.path));
    for (const dir of dirs) await chmod(join(tmp, dir), DIR_MODE);
    await renameIntoPlace(tmp, dest);
    return manifest;
  } catch (err) {
    await writes.drain().catch(() => {}); // nothing may still be writing into tmp when it is removed
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

async function writeFile(path: string, data: AsyncIterable<Buffer> | Iterable<Buffer>, mode: number): Promise<void> {
  const fh = await open(path, CREATE_FLAGS, 0o600);
  try {
    for await (const chunk of data) {
      let offset = 0;
      while (offset < chunk.length) offset += (await fh.write(chunk, offset, chunk.length - offset)).bytesWritten;
    }
    await fh.chmod(mode);
  } finally {
    await fh.close();
  }
}

/** Adds every proper ancestor directory of `path` (`a/b/c` -> `a`, `a/b`). */
function addParents(dirs: Set<string>, path: string): void {
  for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) dirs.add(path.slice(0, i));
}

async function renameIntoPlace(tmp: string, dest: string): Promise<void> {
  if (await pathExists(dest)) throw alreadyExists(dest); // rename(2) would replace an empty directory
  try {
    await rename(tmp, dest);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') throw alreadyExists(dest);
    throw err;
  }
}

function alreadyExists(dest: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`extraction target already exists: ${dest}`), { code: 'EEXIST', path: dest });
}
