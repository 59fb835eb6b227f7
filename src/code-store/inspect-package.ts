import { DEFAULT_PACKAGE_LIMITS, type PackageLimits } from './package-limits.ts';
import type { PackageManifest } from './package-manifest.ts';
import { walkPackage } from './package-walker.ts';

/**
 * Validates an uploaded deployment package without writing anything: every
 * entry is inflated (and discarded) so that sizes and CRCs are the real ones.
 *
 * Pre: `zip` is the whole upload (the 50 MB request limit is the caller's).
 * Post: resolves with the manifest when the package is safe to extract with
 * `extractPackage`; otherwise rejects with InvalidParameterValueException:
 * Lambda's "Could not unzip uploaded file..." for an unreadable or corrupt
 * archive, "Unzipped size must be smaller than 262144000 bytes" past the size
 * quota, and a message naming the entry for zip-slip, absolute paths,
 * backslashes, escaping symlinks, duplicates, odd names and zip bombs. An empty
 * archive is accepted (Lambda accepts it too), with no entries.
 */
export async function inspectPackage(zip: Buffer, limits: PackageLimits = DEFAULT_PACKAGE_LIMITS): Promise<PackageManifest> {
  return walkPackage(zip, limits, async (_entry, data) => {
    for await (const _chunk of data) {
      // discard: only the walker's checks matter here
    }
  });
}
