import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new join token: 256 random bits, URL-safe. Shown once; only its digest is stored. */
export function newJoinToken(): string {
  return `flint-join-${randomBytes(32).toString('base64url')}`;
}

/** A new per-registration host API key (256 random bits). */
export function newHostKey(): string {
  return randomBytes(32).toString('base64url');
}

/** The digest under which a token is stored (SHA-256, hex). */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time equality of two secrets (compared through their digests, so their lengths leak nothing either). */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  return timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());
}

/** The token of an `Authorization: Bearer TOKEN` header, if that is what it holds. */
export function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer ([\x21-\x7e]+)$/.exec(header ?? '');
  return m?.[1];
}
