import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * The at-rest form of a function version's environment variables, version 1:
 *
 *   "v1:" base64( [nonce: 12 bytes][ciphertext: n bytes][GCM tag: 16 bytes] )
 *
 * AES-256-GCM under a key derived from Flint's master key with HKDF-SHA-256 (its own salt and
 * info, so it never equals the code store's blob key); a random 96-bit nonce per write; the
 * additional authenticated data is the function name and version, so a sealed value copied into
 * another row does not open. The plaintext is the variables as compact JSON.
 */
const PREFIX = 'v1:';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HKDF_SALT = 'flint function environment';
const HKDF_INFO = 'environment key v1';

/** A sealed value that does not open: tampered, truncated, moved to another row or sealed under another key. */
export class SealedEnvironmentError extends Error {
  constructor(functionName: string, version: string, why: string) {
    super(`the stored environment of ${functionName}:${version} does not open: ${why}`);
    this.name = 'SealedEnvironmentError';
  }
}

export class EnvironmentCipher {
  readonly #key: Buffer;

  /** Pre: `masterKey` is 32 bytes (the data directory's master key, or a cluster's `code-master-key`). */
  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new RangeError(`master key holds ${masterKey.length} bytes; expected 32`);
    this.#key = Buffer.from(hkdfSync('sha256', masterKey, HKDF_SALT, HKDF_INFO, 32));
  }

  /** Post: a string that holds no byte of `variables` in the clear, different at every call. */
  seal(functionName: string, version: string, variables: Readonly<Record<string, string>>): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(functionName, version));
    const body = Buffer.concat([cipher.update(JSON.stringify(variables), 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64');
  }

  /** The variables `seal` sealed for this row; throws SealedEnvironmentError otherwise (and releases nothing). */
  open(functionName: string, version: string, sealed: string): Record<string, string> {
    if (!sealed.startsWith(PREFIX)) throw new SealedEnvironmentError(functionName, version, 'unknown format');
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
    if (raw.length < NONCE_BYTES + TAG_BYTES) throw new SealedEnvironmentError(functionName, version, 'truncated');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(functionName, version));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    let plaintext: string;
    try {
      plaintext = Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SealedEnvironmentError(functionName, version, 'authentication tag mismatch');
    }
    return JSON.parse(plaintext) as Record<string, string>;
  }
}

function aad(functionName: string, version: string): Buffer {
  return Buffer.from(`${functionName}\0${version}`, 'utf8');
}
