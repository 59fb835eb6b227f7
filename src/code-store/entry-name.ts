import { packageRefused, quoteName } from './package-errors.ts';
import type { PackageLimits } from './package-limits.ts';

export interface EntryName {
  /** Relative path with `/` separators, no trailing slash, no empty, `.` or `..` segments; never empty. */
  readonly path: string;
  /** The archive named it with a trailing slash. */
  readonly trailingSlash: boolean;
}

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const DRIVE_LETTER = /^[a-zA-Z]:/;

/**
 * Checks one entry name exactly as the archive spells it (backslashes not
 * rewritten) and returns it in canonical form: `.` segments are dropped, so
 * `./index.js` is `index.js` (and collides with a second `index.js`).
 *
 * Pre: `name` is the decoded name from the central directory.
 * Post: the returned path, joined to any directory, stays strictly inside it;
 * otherwise throws InvalidParameterValueException naming the entry and the reason.
 */
export function validateEntryName(name: string, limits: Pick<PackageLimits, 'maxNameBytes' | 'maxSegmentBytes'>): EntryName {
  const refuse = (why: string) => packageRefused(`entry ${quoteName(name)} ${why}`);
  if (name.length === 0) throw refuse('has an empty name');
  if (Buffer.byteLength(name) > limits.maxNameBytes) throw refuse(`has a name longer than ${limits.maxNameBytes} bytes`);
  if (CONTROL_CHARS.test(name)) throw refuse('has control characters in its name');
  if (name.includes('\\')) throw refuse('has a backslash in its name (zip entries must use "/" as separator)');
  if (name.startsWith('/') || DRIVE_LETTER.test(name)) throw refuse('has an absolute path');
  const trailingSlash = name.endsWith('/');
  const segments = (trailingSlash ? name.slice(0, -1) : name).split('/');
  for (const segment of segments) {
    if (segment === '..') throw refuse('points outside the package root (".." in path)');
    if (segment === '') throw refuse('has an empty path segment');
    if (Buffer.byteLength(segment) > limits.maxSegmentBytes) throw refuse(`has a path segment longer than ${limits.maxSegmentBytes} bytes`);
  }
  const path = segments.filter((s) => s !== '.').join('/'); // `./index.js` is index.js, as unzip reads it
  if (path === '') throw refuse('names the package root itself');
  return { path, trailingSlash };
}
