/** New access keys as AWS shapes them: `AKIA` + 16 (long-term) or `ASIA` + 16 (temporary) base-32 characters, 40-character secrets. */
import { randomBytes } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function pick(alphabet: string, count: number): string {
  const bytes = randomBytes(count);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

export function newAccessKeyId(kind: 'long-term' | 'temporary'): string {
  return `${kind === 'long-term' ? 'AKIA' : 'ASIA'}${pick(BASE32, 16)}`;
}

export function newSecretAccessKey(): string {
  return pick(SECRET_CHARS, 40);
}

/** A session token: 48 random bytes, base64 (only its digest is stored). */
export function newSessionToken(): string {
  return randomBytes(48).toString('base64');
}
