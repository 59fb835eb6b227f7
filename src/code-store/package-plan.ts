import type { EntryKind } from './entry-kind.ts';
import { packageRefused, quoteName, unzippedTooLarge } from './package-errors.ts';
import type { PackageLimits } from './package-limits.ts';

/** An entry as the central directory describes it, after its name and type were checked. */
export interface PlannedEntry {
  readonly path: string;
  readonly kind: EntryKind;
  readonly executable: boolean;
  readonly declaredSize: number;
  readonly compressedSize: number;
  readonly localHeaderOffset: number;
}

/** Smallest local file header: a data range can start no earlier than offset + 30. */
const LOCAL_HEADER_MIN_BYTES = 30;

/**
 * Checks the archive as a whole before any byte is inflated: entry count,
 * duplicate paths, paths below a file or a symlink (the classic "write through
 * a link" trick), entries whose data overlap (non-recursive zip bombs), and the
 * declared sizes against the size and ratio limits.
 *
 * Pure. Pre: every entry passed validateEntryName and entryType.
 * Post: returns nothing, or throws InvalidParameterValueException.
 */
export function checkPackagePlan(entries: readonly PlannedEntry[], archiveBytes: number, limits: PackageLimits): void {
  if (entries.length > limits.maxEntries) throw packageRefused(`it has ${entries.length} entries; at most ${limits.maxEntries} are allowed`);
  checkPaths(entries);
  checkNoOverlap(entries);
  const declared = entries.reduce((sum, e) => sum + e.declaredSize, 0);
  checkUnzippedBytes(declared, archiveBytes, limits);
}

/** Size and ratio limits on a running or declared total of unzipped bytes. */
export function checkUnzippedBytes(unzippedBytes: number, archiveBytes: number, limits: PackageLimits): void {
  if (unzippedBytes > limits.maxUnzippedBytes) throw unzippedTooLarge(limits.maxUnzippedBytes);
  if (unzippedBytes > limits.ratioFloorBytes && unzippedBytes > archiveBytes * limits.maxCompressionRatio) {
    throw packageRefused(`its compression ratio exceeds ${limits.maxCompressionRatio}:1 (zip bomb)`);
  }
}

function checkPaths(entries: readonly PlannedEntry[]): void {
  const kinds = new Map<string, EntryKind>();
  for (const e of entries) {
    if (kinds.has(e.path)) throw packageRefused(`entry ${quoteName(e.path)} appears more than once`);
    kinds.set(e.path, e.kind);
  }
  for (const e of entries) {
    let slash = e.path.indexOf('/');
    while (slash !== -1) {
      const parent = e.path.slice(0, slash);
      const parentKind = kinds.get(parent);
      if (parentKind === 'symlink') throw packageRefused(`entry ${quoteName(e.path)} lies below the symlink ${quoteName(parent)}`);
      if (parentKind === 'file') throw packageRefused(`entry ${quoteName(e.path)} lies below the file ${quoteName(parent)}`);
      slash = e.path.indexOf('/', slash + 1);
    }
  }
}

function checkNoOverlap(entries: readonly PlannedEntry[]): void {
  const byOffset = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  for (let i = 1; i < byOffset.length; i++) {
    const prev = byOffset[i - 1]!;
    const next = byOffset[i]!;
    if (prev.localHeaderOffset + LOCAL_HEADER_MIN_BYTES + prev.compressedSize > next.localHeaderOffset) {
      throw packageRefused(`entries ${quoteName(prev.path)} and ${quoteName(next.path)} share data (overlapping entries, zip bomb)`);
    }
  }
}
