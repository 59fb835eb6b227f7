/**
 * Stores and releases deployment packages on behalf of function writes, keeping
 * the one invariant that matters: a version row never names a blob that is not
 * stored. Storing happens before the row is committed (a crash in between leaves
 * an orphan blob, which is harmless and collectable); releasing happens after
 * the row is gone and only when no version references the blob. Both run under
 * one lock, so a release can never delete a blob that a concurrent write just
 * stored and is about to reference (the store keeps no reference counts).
 */
import type { CodeStore, PackageManifest, StoredCode } from '../code-store/index.ts';
import type { Logger } from '../shared/index.ts';

export interface DeploymentPackagesDeps {
  readonly codeStore: CodeStore;
  /** Whether any version still references the blob (FunctionStore.isCodeReferenced). */
  readonly isReferenced: (sha256Hex: string) => Promise<boolean>;
  /** Checks a package without writing anything; rejects with the API error for a refused package. */
  readonly inspect: (zip: Buffer) => Promise<PackageManifest>;
  readonly logger: Logger;
}

export class DeploymentPackages {
  readonly #deps: DeploymentPackagesDeps;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(deps: DeploymentPackagesDeps) {
    this.#deps = deps;
  }

  /** Validates a package (zip-slip, symlinks, bombs, size quota) before anything is written. */
  inspect(zip: Buffer): Promise<PackageManifest> {
    return this.#deps.inspect(zip);
  }

  /**
   * Stores the package, then runs `commit` (which writes the row that references
   * it) under the lock. If `commit` throws, the blob is released again when
   * nothing else uses it, and the error propagates.
   */
  storeAndCommit<T>(zip: Buffer, commit: (stored: StoredCode) => Promise<T>): Promise<T> {
    return this.#locked(async () => {
      const stored = await this.#deps.codeStore.put(zip);
      try {
        return await commit(stored);
      } catch (err) {
        await this.#deleteIfUnused(stored.sha256Hex);
        throw err;
      }
    });
  }

  /** Deletes the blobs no version references any longer. Failures are logged, never thrown (an orphan is harmless). */
  release(shas: readonly string[]): Promise<void> {
    return this.#locked(async () => {
      for (const sha of new Set(shas)) await this.#deleteIfUnused(sha);
    });
  }

  async #deleteIfUnused(sha256Hex: string): Promise<void> {
    if (await this.#deps.isReferenced(sha256Hex)) return;
    try {
      await this.#deps.codeStore.delete(sha256Hex);
      this.#deps.logger.debug({ sha256Hex }, 'released unreferenced code blob');
    } catch (err) {
      this.#deps.logger.warn({ err, sha256Hex }, 'could not delete unreferenced code blob');
    }
  }

  #locked<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(fn, fn);
    this.#tail = run.catch(() => undefined);
    return run;
  }
}
