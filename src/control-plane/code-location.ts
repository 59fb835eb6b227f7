/**
 * GetFunction's `Code.Location`: a URL on Flint that returns the original
 * package, signed like a presigned S3 URL (HMAC-SHA256 over the package key and
 * an expiry, valid for 10 minutes as in Lambda). Without the signing key a URL
 * can neither be forged nor extended. The key is per process, so URLs die with
 * it, which is within their contract.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../shared/index.ts';

export const CODE_LOCATION_PATH = '/flint/code';
export const CODE_LOCATION_TTL_MS = 10 * 60 * 1000;

export class CodeLocationSigner {
  readonly #key: Buffer;
  readonly #clock: Clock;
  readonly #ttlMs: number;

  /** Pre: `key` holds at least 32 random bytes. */
  constructor(key: Buffer, clock: Clock, ttlMs: number = CODE_LOCATION_TTL_MS) {
    if (key.length < 32) throw new Error('code location key must hold at least 32 bytes');
    this.#key = key;
    this.#clock = clock;
    this.#ttlMs = ttlMs;
  }

  /** A download URL for the package, on `baseUrl` (`http://HOST:PORT` as the caller reached Flint). */
  url(baseUrl: string, sha256Hex: string): string {
    const expires = String(Math.floor((this.#clock.now() + this.#ttlMs) / 1000));
    const query = new URLSearchParams({ expires, signature: this.#sign(sha256Hex, expires) });
    return `${baseUrl}${CODE_LOCATION_PATH}/${sha256Hex}?${query.toString()}`;
  }

  /** Whether the URL parameters are authentic and not yet expired. */
  verify(sha256Hex: string, expires: string | undefined, signature: string | undefined): boolean {
    if (expires === undefined || signature === undefined || !/^\d{1,12}$/.test(expires)) return false;
    if (Number(expires) * 1000 < this.#clock.now()) return false;
    const expected = Buffer.from(this.#sign(sha256Hex, expires));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  #sign(sha256Hex: string, expires: string): string {
    return createHmac('sha256', this.#key).update(`${sha256Hex}\n${expires}`).digest('base64url');
  }
}
