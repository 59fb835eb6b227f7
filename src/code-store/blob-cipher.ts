import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { CodeIntegrityError } from './code-store-errors.ts';

/**
 * The at-rest format of one code blob, version 1:
 *
 *   [version: 1 byte = 0x01][nonce: 12 bytes][ciphertext: n bytes][GCM tag: 16 bytes]
 *
 * AES-256-GCM under a data key derived from the master key with HKDF-SHA-256; a
 * random 96-bit nonce per blob; the additional authenticated data is the version
 * byte followed by the plaintext's raw SHA-256, which binds a blob to its name.
 * A later version (e.g. convergent per-chunk keys) gets a new version byte.
 */
export const BLOB_FORMAT_VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Bytes a sealed blob adds to its plaintext. */
export const BLOB_OVERHEAD_BYTES = 1 + NONCE_BYTES + TAG_BYTES;

const HKDF_SALT = 'flint code-store';
const HKDF_INFO = 'blob data key v1';

/** Pre: `masterKey` is 32 bytes. Post: the 32-byte AES key for blob format v1. */
export function deriveDataKey(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, HKDF_SALT, HKDF_INFO, 32));
}

export function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/** Pre: `digest` is the SHA-256 of `plaintext`. Post: the sealed blob, `plaintext.length + BLOB_OVERHEAD_BYTES` long. */
export function sealBlob(dataKey: Buffer, digest: Buffer, plaintext: Uint8Array): Buffer {
  const header = Buffer.from([BLOB_FORMAT_VERSION]);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', dataKey, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.concat([header, digest]));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, nonce, body, cipher.getAuthTag()]);
}

/**
 * Authenticates and decrypts a sealed blob stored under `sha256Hex`.
 * Post: the plaintext, whose SHA-256 equals `sha256Hex`; otherwise throws
 * CodeIntegrityError and releases no decrypted byte.
 */
export function openBlob(dataKey: Buffer, sha256Hex: string, sealed: Buffer): Buffer {
  if (sealed.length < BLOB_OVERHEAD_BYTES) throw new CodeIntegrityError(sha256Hex, 'truncated', `${sealed.length} bytes is shorter than the format's overhead`);
  if (sealed[0] !== BLOB_FORMAT_VERSION) throw new CodeIntegrityError(sha256Hex, 'format', `unknown format version ${sealed[0]}`);
  const digest = Buffer.from(sha256Hex, 'hex');
  const nonce = sealed.subarray(1, 1 + NONCE_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', dataKey, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.concat([sealed.subarray(0, 1), digest]));
  decipher.setAuthTag(tag);
  let plaintext: Buffer;
  try {
    plaintext = Buffer.concat([decipher.update(sealed.subarray(1 + NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new CodeIntegrityError(sha256Hex, 'tag', 'authentication tag mismatch (tampered, truncated or sealed with another key)');
  }
  if (!sha256(plaintext).equals(digest)) throw new CodeIntegrityError(sha256Hex, 'digest', 'plaintext SHA-256 differs from the blob name');
  return plaintext;
}
