import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where a worker host gets a version's package (the zip) by its SHA-256. */
export interface PackageSource {
  /** Resolves with bytes whose SHA-256 is `sha256Hex`, or rejects. */
  get(sha256Hex: string): Promise<Buffer>;
}

/** The package fetched for a digest had other bytes (corrupted or substituted on the way). */
export class PackageDigestMismatch extends Error {
  constructor(expected: string, actual: string) {
    super(`package digest mismatch: expected ${expected}, got ${actual}`);
    this.name = 'PackageDigestMismatch';
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * The worker host's L1 of packages (zips) fetched from elsewhere (a front end): each one is kept
 * under `<dir>/<sha256>.zip` once its digest is verified, and verified again on every use, so a
 * corrupted entry is detected and fetched again instead of being run.
 */
export class VerifiedPackageCache implements PackageSource {
  readonly #dir: string;
  readonly #fetch: (sha256Hex: string) => Promise<Buffer>;
  readonly #onCorrupt: (sha256Hex: string) => void;

  constructor(dir: string, fetchPackage: (sha256Hex: string) => Promise<Buffer>, onCorrupt: (sha256Hex: string) => void = () => undefined) {
    this.#dir = dir;
    this.#fetch = fetchPackage;
    this.#onCorrupt = onCorrupt;
  }

  async get(sha256Hex: string): Promise<Buffer> {
    if (!SHA256_HEX.test(sha256Hex)) throw new Error(`not a SHA-256 digest: ${sha256Hex}`);
    const path = join(this.#dir, `${sha256Hex}.zip`);
    const cached = await readFile(path).catch(() => undefined);
    if (cached !== undefined) {
      if (digest(cached) === sha256Hex) return cached;
      this.#onCorrupt(sha256Hex);
      await rm(path, { force: true });
    }
    const fetched = await this.#fetch(sha256Hex);
    const actual = digest(fetched);
    if (actual !== sha256Hex) throw new PackageDigestMismatch(sha256Hex, actual);
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, fetched, { mode: 0o600 });
    await rename(tmp, path);
    return fetched;
  }
}

function digest(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
