/**
 * Limits applied to every deployment package, on the bytes actually inflated
 * (headers can lie). Defaults follow Lambda's quotas where Lambda has one; the
 * others are Flint's own guards against hostile archives.
 */
export interface PackageLimits {
  /** Lambda's quota on the unzipped package (AWS: 250 MB = 262144000 bytes). */
  readonly maxUnzippedBytes: number;
  /** Entries (files, directories, symlinks) one archive may hold. */
  readonly maxEntries: number;
  /**
   * Largest ratio of unzipped bytes to archive bytes. A single deflate stream
   * cannot exceed ~1032:1, so passing this means entries share data (a
   * "non-recursive" zip bomb) or the archive is built to exhaust the host.
   */
  readonly maxCompressionRatio: number;
  /** The ratio is judged only once this many bytes have been unzipped, so tiny packages never trip it. */
  readonly ratioFloorBytes: number;
  /** Longest entry name in UTF-8 bytes, and longest single path segment (Linux NAME_MAX). */
  readonly maxNameBytes: number;
  readonly maxSegmentBytes: number;
  /** Longest symlink target in bytes. */
  readonly maxLinkTargetBytes: number;
}

export const MAX_UNZIPPED_BYTES = 262_144_000;

export const DEFAULT_PACKAGE_LIMITS: PackageLimits = Object.freeze({
  maxUnzippedBytes: MAX_UNZIPPED_BYTES,
  maxEntries: 100_000,
  maxCompressionRatio: 1024,
  ratioFloorBytes: 16 * 1024 * 1024,
  maxNameBytes: 2048,
  maxSegmentBytes: 255,
  maxLinkTargetBytes: 1024,
});
