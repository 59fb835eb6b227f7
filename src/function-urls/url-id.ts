import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const URL_ID_LENGTH = 32;
export const URL_ID_RE = /^[a-z0-9]{32}$/;

/** A new URL id: 32 lowercase alphanumerics, as Lambda's `<url-id>.lambda-url.<region>.on.aws`. */
export function newUrlId(): string {
  const bytes = randomBytes(URL_ID_LENGTH * 2);
  let out = '';
  for (const b of bytes) {
    if (b >= 252) continue; // 252 = 7 * 36: keeps every letter equally likely
    out += ALPHABET[b % ALPHABET.length];
    if (out.length === URL_ID_LENGTH) return out;
  }
  return out + newUrlId().slice(out.length);
}
