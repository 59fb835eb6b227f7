/**
 * Authentication: from a request to the identity that signed it, with AWS's answers. In order:
 * the signature's shape (signature-parser.ts); the credential scope (Flint's region, the
 * service the request is for); the date (within 15 minutes of now; a presigned URL until it
 * expires); the access key (UnrecognizedClientException when unknown, or for temporary
 * credentials a missing or wrong session token, or an ended session); then the signature itself.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError, type Clock } from '../shared/index.ts';
import type { CallerIdentity, KeyDirectory } from './caller-identity.ts';
import { signatureMatches } from './signature-check.ts';
import { formatAmzDate, parseSignature, SIGNATURE_MISMATCH } from './signature-parser.ts';
import type { SignedRequest } from './signed-request.ts';

/** How far a signature's date may be from the server's clock (SigV4: 15 minutes). */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

export const INVALID_TOKEN = 'The security token included in the request is invalid.';

export interface AuthenticatorDeps {
  readonly keys: KeyDirectory;
  readonly region: string;
  readonly clock: Clock;
}

export class Authenticator {
  readonly #deps: AuthenticatorDeps;

  constructor(deps: AuthenticatorDeps) {
    this.#deps = deps;
  }

  /** The identity that signed `request` for `service` (`lambda`, `logs`, `sqs`); throws an ApiError (4xx) otherwise. */
  async authenticate(request: SignedRequest, service: string): Promise<CallerIdentity> {
    const parsed = parseSignature(request);
    if (parsed.region !== this.#deps.region) throw new ApiError('InvalidSignatureException', `Credential should be scoped to a valid region, not '${parsed.region}'. `);
    if (parsed.service !== service) throw new ApiError('InvalidSignatureException', `Credential should be scoped to correct service: '${service}'. `);
    checkDate(parsed.signedAtMs, parsed.expiresSeconds, this.#deps.clock.now());
    const known = await this.#deps.keys.lookup(parsed.accessKeyId);
    if (known === undefined) throw new ApiError('UnrecognizedClientException', INVALID_TOKEN);
    if (known.sessionTokenDigest !== undefined) {
      if (parsed.sessionToken === undefined || !sameDigest(parsed.sessionToken, known.sessionTokenDigest)) throw new ApiError('UnrecognizedClientException', INVALID_TOKEN);
      if (known.expiresMs !== undefined && known.expiresMs <= this.#deps.clock.now()) throw new ApiError('UnrecognizedClientException', INVALID_TOKEN);
    }
    if (!(await signatureMatches(request, parsed, known.secretAccessKey))) throw new ApiError('InvalidSignatureException', SIGNATURE_MISMATCH);
    return known.identity;
  }
}

/** The date rule: a header signature within 15 minutes of now; a presigned one from 15 minutes before its date until it expires. */
export function checkDate(signedAtMs: number, expiresSeconds: number | undefined, nowMs: number): void {
  const fmt = formatAmzDate;
  if (signedAtMs > nowMs + MAX_CLOCK_SKEW_MS) {
    throw new ApiError('InvalidSignatureException', `Signature not yet current: ${fmt(signedAtMs)} is still later than ${fmt(nowMs + MAX_CLOCK_SKEW_MS)} (${fmt(nowMs)} + 15 min.)`);
  }
  if (expiresSeconds === undefined && signedAtMs < nowMs - MAX_CLOCK_SKEW_MS) {
    throw new ApiError('InvalidSignatureException', `Signature expired: ${fmt(signedAtMs)} is now earlier than ${fmt(nowMs - MAX_CLOCK_SKEW_MS)} (${fmt(nowMs)} - 15 min.)`);
  }
  if (expiresSeconds !== undefined && signedAtMs + expiresSeconds * 1000 < nowMs) {
    throw new ApiError('InvalidSignatureException', `Signature expired: ${fmt(signedAtMs)} is now earlier than ${fmt(nowMs - expiresSeconds * 1000)} (${fmt(nowMs)} - ${expiresSeconds} sec.)`);
  }
}

/** SHA-256 hex digest of a session token (what is stored of it). */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function sameDigest(token: string, digestHex: string): boolean {
  const a = Buffer.from(tokenDigest(token));
  const b = Buffer.from(digestHex);
  return a.length === b.length && timingSafeEqual(a, b);
}
