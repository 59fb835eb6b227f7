/**
 * The three things a qualifier can name, told apart by spelling alone: `$LATEST`,
 * a published version (digits), or an alias (Lambda's alias pattern forbids
 * all-digit names and `$`).
 */
export type QualifierKind = 'latest' | 'version' | 'alias';

const VERSION_RE = /^[0-9]+$/;

export function qualifierKind(qualifier: string): QualifierKind {
  if (qualifier === '$LATEST') return 'latest';
  return VERSION_RE.test(qualifier) ? 'version' : 'alias';
}

/** Sort key of a version in listings: `$LATEST` first, then numerically. */
export function versionSortKey(version: string): string {
  return version === '$LATEST' ? '' : version.padStart(20, '0');
}
