import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { extractPackage } from '../code-store/index.ts';
import { OncePerKey } from './once-per-key.ts';
import type { PackageSource } from './verified-package-cache.ts';

/**
 * The worker-local code cache (L1): each package is unpacked once, read-only, into
 * `<dir>/<sha256>` and shared by every sandbox of every version with that code.
 * Concurrent requests for the same package share one extraction; once there, a package's
 * directory is answered without looking at the disk again.
 */
export class CodeCache {
  readonly #dir: string;
  readonly #store: PackageSource;
  readonly #unpacked = new OncePerKey<string>();

  constructor(dir: string, store: PackageSource) {
    this.#dir = dir;
    this.#store = store;
  }

  /** Directory holding the unpacked package; extracts it on first use. */
  unpacked(sha256Hex: string): Promise<string> {
    return this.#unpacked.get(sha256Hex, () => this.#unpack(sha256Hex));
  }

  async #unpack(sha256Hex: string): Promise<string> {
    const dest = join(this.#dir, sha256Hex);
    try {
      await access(dest);
      return dest;
    } catch {
      // not cached yet
    }
    await mkdir(this.#dir, { recursive: true, mode: 0o755 });
    try {
      await extractPackage(await this.#store.get(sha256Hex), dest);
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err; // another extraction finished first
    }
    return dest;
  }
}
