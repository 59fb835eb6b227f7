/**
 * Errors of the code store. These are platform errors (Flint's fault, never the
 * caller's): log them with their cause and answer the API caller with a
 * ServiceException, never with the data.
 */

/** Why a blob failed authentication. */
export type IntegrityFailure = 'format' | 'truncated' | 'tag' | 'digest';

/** A stored blob failed authentication: tampered with, truncated, or sealed with another key. Its bytes are never returned. */
export class CodeIntegrityError extends Error {
  readonly sha256Hex: string;
  readonly failure: IntegrityFailure;

  constructor(sha256Hex: string, failure: IntegrityFailure, detail: string) {
    super(`code blob ${sha256Hex} failed its integrity check (${failure}): ${detail}`);
    this.name = 'CodeIntegrityError';
    this.sha256Hex = sha256Hex;
    this.failure = failure;
  }
}

/** No blob is stored under that SHA-256 (or the key is not a SHA-256 at all). */
export class CodeNotFoundError extends Error {
  readonly sha256Hex: string;

  constructor(sha256Hex: string) {
    super(`no code blob stored for ${JSON.stringify(sha256Hex.slice(0, 80))}`);
    this.name = 'CodeNotFoundError';
    this.sha256Hex = sha256Hex;
  }
}

/** The master key file is missing where it must exist, unreadable, of the wrong length or too widely readable. Flint must not start. */
export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyError';
  }
}
