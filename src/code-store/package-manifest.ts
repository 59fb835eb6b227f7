import type { EntryKind } from './entry-kind.ts';

/** One entry of a checked deployment package. */
export interface PackageEntry {
  /** Canonical relative path: `/` separators, no trailing slash, never escaping the root. */
  readonly path: string;
  readonly kind: EntryKind;
  /** Bytes actually inflated (0 for directories; the target's length for symlinks). */
  readonly size: number;
  /** Files only: the archive gave it an execute bit (a `bootstrap` needs one). */
  readonly executable: boolean;
  /** Symlinks only: canonical relative target, checked to stay inside the root. */
  readonly linkTarget?: string;
}

/** What a deployment package holds, once every entry has been inflated and checked. */
export interface PackageManifest {
  /** In central directory order. */
  readonly entries: readonly PackageEntry[];
  /** Sum of inflated bytes of every entry. */
  readonly unzippedBytes: number;
  readonly fileCount: number;
}
