import { createHash } from 'node:crypto';
import { access, chmod, copyFile, link, lstat, mkdir, mkdtemp, readdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { LayerRef } from '../model/index.ts';
import type { CodeCache } from './code-cache.ts';
import { OncePerKey } from './once-per-key.ts';

/**
 * A function's `/opt`: its layers merged in order, as Lambda extracts them (a later layer's file
 * replaces an earlier one's at the same path). Each layer is unpacked once by the code cache (by
 * its digest, fetched like any package); each ordered combination of layers is merged once into
 * `<dir>/<sha256 of the ordered digests>`, with hard links to the unpacked files (copies across
 * file systems), and shared read-only by every sandbox that uses the same layers in the same order.
 * A single layer needs no merge: its unpacked directory is the `/opt`.
 */
export class LayerCache {
  readonly #dir: string;
  readonly #code: CodeCache;
  readonly #merged = new OncePerKey<string>();

  constructor(dir: string, code: CodeCache) {
    this.#dir = dir;
    this.#code = code;
  }

  /** The host directory to show at /opt, or undefined when the version has no layers. */
  async optDir(layers: readonly LayerRef[]): Promise<string | undefined> {
    if (layers.length === 0) return undefined;
    if (layers.length === 1) return this.#code.unpacked(layers[0]!.sha256Hex);
    const digests = layers.map((l) => l.sha256Hex);
    const key = createHash('sha256').update(digests.join('\n')).digest('hex');
    return this.#merged.get(key, () => this.#merge(key, digests));
  }

  async #merge(key: string, digests: readonly string[]): Promise<string> {
    const dest = join(this.#dir, key);
    try {
      await access(dest);
      return dest;
    } catch {
      // not merged yet
    }
    const sources = await Promise.all(digests.map((d) => this.#code.unpacked(d)));
    await mkdir(this.#dir, { recursive: true, mode: 0o755 });
    const tmp = await mkdtemp(join(this.#dir, `.${key}.merge-`));
    try {
      for (const source of sources) await overlay(source, tmp);
      await chmod(tmp, 0o755);
      await rename(tmp, dest);
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      if ((err as { code?: string }).code !== 'ENOTEMPTY' && (err as { code?: string }).code !== 'EEXIST') throw err; // another merge finished first
    }
    return dest;
  }
}

/** Lays the tree at `from` over the tree at `to`: its files and links replace what is there, its directories merge. */
async function overlay(from: string, to: string): Promise<void> {
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    const existing = await lstat(target).catch(() => undefined);
    if (entry.isDirectory()) {
      if (existing !== undefined && !existing.isDirectory()) await rm(target, { force: true });
      if (existing === undefined || !existing.isDirectory()) await mkdir(target, { mode: 0o755 });
      await overlay(source, target);
      continue;
    }
    if (existing !== undefined) await rm(target, { recursive: true, force: true });
    if (entry.isSymbolicLink()) await symlink(await readlink(source), target);
    else await link(source, target).catch(async (err: unknown) => {
      if ((err as { code?: string }).code !== 'EXDEV') throw err;
      await copyFile(source, target);
      await chmod(target, (await lstat(source)).mode & 0o777);
    });
  }
}
