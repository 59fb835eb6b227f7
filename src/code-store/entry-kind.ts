import { packageRefused, quoteName } from './package-errors.ts';

export type EntryKind = 'file' | 'directory' | 'symlink';

export interface EntryAttributes {
  readonly path: string;
  readonly trailingSlash: boolean;
  /** Central directory "version made by": the high byte names the host system. */
  readonly versionMadeBy: number;
  readonly externalFileAttributes: number;
}

export interface EntryType {
  readonly kind: EntryKind;
  /** Any execute bit set in the archived Unix mode (files only). */
  readonly executable: boolean;
}

const UNIX_HOSTS = new Set([3 /* Unix */, 19 /* OS X */]);
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const DOS_DIRECTORY = 0x10;

/**
 * Reads what an entry is from its name and attributes. Unix modes (hosts 3 and
 * 19) carry the file type and the execute bits; other hosts only mark
 * directories. Devices, FIFOs and sockets are refused, and so is a symlink or
 * file whose name ends in `/`.
 *
 * Post: returns the kind, or throws InvalidParameterValueException.
 */
export function entryType(attrs: EntryAttributes): EntryType {
  const refuse = (why: string) => packageRefused(`entry ${quoteName(attrs.path)} ${why}`);
  const unixMode = UNIX_HOSTS.has(attrs.versionMadeBy >>> 8) ? attrs.externalFileAttributes >>> 16 : 0;
  const format = unixMode & S_IFMT;
  if (format === S_IFLNK) {
    if (attrs.trailingSlash) throw refuse('is a symlink whose name ends in "/"');
    return { kind: 'symlink', executable: false };
  }
  const dosDirectory = unixMode === 0 && (attrs.externalFileAttributes & DOS_DIRECTORY) !== 0;
  if (format === S_IFDIR || attrs.trailingSlash || dosDirectory) {
    if (format !== 0 && format !== S_IFDIR) throw refuse('is named like a directory but is not one');
    return { kind: 'directory', executable: false };
  }
  if (format !== 0 && format !== S_IFREG) throw refuse(`has an unsupported file type (mode ${format.toString(8)})`);
  return { kind: 'file', executable: (unixMode & 0o111) !== 0 };
}
