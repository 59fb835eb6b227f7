import { packageRefused, quoteName } from './package-errors.ts';

/**
 * Checks a symlink's target so that the link can never resolve outside the
 * package root, even through chains of other links in the same package.
 *
 * The rule: after dropping empty and `.` segments, every `..` must come first,
 * and there may be no more of them than the link's depth. The climbing part
 * then walks real directories (entries below a symlink are refused elsewhere),
 * and the rest only descends, through plain names or through other links that
 * obey the same rule, so by induction nothing escapes. Targets such as
 * `a/../b` are refused though harmless; packaging tools do not produce them.
 *
 * Pre: `linkPath` is a canonical entry path (see validateEntryName).
 * Post: returns the canonical target (`.` for the link's own directory), or
 * throws InvalidParameterValueException.
 */
export function validateSymlinkTarget(linkPath: string, target: string): string {
  const refuse = (why: string) => packageRefused(`symlink ${quoteName(linkPath)} -> ${quoteName(target)} ${why}`);
  if (target.length === 0) throw refuse('has an empty target');
  if (/[\u0000]/.test(target)) throw refuse('has a NUL character in its target');
  if (target.includes('\\')) throw refuse('has a backslash in its target');
  if (target.startsWith('/')) throw refuse('points to an absolute path outside the package root');
  const segments = target.split('/').filter((s) => s !== '' && s !== '.');
  let climbs = 0;
  while (segments[climbs] === '..') climbs++;
  if (segments.slice(climbs).includes('..')) throw refuse('has ".." after a name in its target');
  const depth = linkPath.split('/').length - 1;
  if (climbs > depth) throw refuse('points outside the package root');
  return segments.length === 0 ? '.' : segments.join('/');
}
