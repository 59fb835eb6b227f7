/**
 * The deployment package `flint deploy` builds: every file under the directory except what
 * `.flintignore` excludes (gitignore syntax, read with the `ignore` library), `.git/`,
 * `.flintignore` and `flint.json` themselves. File modes are kept (a `bootstrap` must stay
 * executable); symbolic links are stored as links, as `zip --symlinks` does.
 */
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import ignore from 'ignore';
import { zipBytes } from '../shared/index.ts';

/** Always left out of the package. */
const ALWAYS_IGNORED = ['.git/', '.flintignore', 'flint.json'];

export interface PackedDirectory {
  readonly zip: Buffer;
  /** Package paths, in the order stored. */
  readonly files: readonly string[];
}

/** The package paths of `dir` that go into the zip (sorted, `/`-separated). */
export async function packageFiles(dir: string): Promise<string[]> {
  const rules = ignore().add(ALWAYS_IGNORED);
  const ignoreFile = await readFile(join(dir, '.flintignore'), 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    throw err;
  });
  rules.add(ignoreFile);
  const out: string[] = [];
  const walk = async (at: string): Promise<void> => {
    for (const entry of (await readdir(at, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(at, entry.name);
      const path = relative(dir, full).split(sep).join('/');
      if (entry.isDirectory()) {
        if (!rules.ignores(`${path}/`)) await walk(full);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && !rules.ignores(path)) {
        out.push(path);
      }
    }
  };
  await walk(dir);
  return out;
}

/** Zips the package files of `dir`; `progress` hears the count of files added so far. */
export async function packDirectory(dir: string, progress: (added: number, total: number) => void = () => undefined): Promise<PackedDirectory> {
  const files = await packageFiles(dir);
  const zip = await zipBytes(async (archive) => {
    for (const [i, path] of files.entries()) {
      const full = join(dir, ...path.split('/'));
      const info = await lstat(full);
      if (info.isSymbolicLink()) {
        archive.addBuffer(Buffer.from(await readlink(full)), path, { mode: 0o120777, mtime: info.mtime });
      } else {
        archive.addBuffer(await readFile(full), path, { mode: info.mode, mtime: info.mtime });
      }
      progress(i + 1, files.length);
    }
  });
  return { zip, files };
}
