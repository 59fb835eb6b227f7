/**
 * Secret access keys at rest: AES-256-GCM under a key derived from Flint's master key with
 * HKDF-SHA-256 (its own salt, so it is never the code store's data key), the access key id as
 * associated data (a sealed secret moved to another row does not open).
 * Format: version byte 1 | 12-byte IV | 16-byte tag | ciphertext.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretSeal {
  readonly #key: Buffer;

  /** Pre: `masterKey` is Flint's 32-byte master key. */
  constructor(masterKey: Buffer) {
    this.#key = Buffer.from(hkdfSync('sha256', masterKey, 'flint-credentials', 'secret-access-key v1', 32));
  }

  seal(accessKeyId: string, secret: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(accessKeyId));
    const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  /** The secret; throws when the blob was not sealed for this access key under this master key. */
  open(accessKeyId: string, sealed: Buffer): string {
    if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION) throw new Error(`sealed secret of ${accessKeyId} has an unknown format`);
    const decipher = createDecipheriv('aes-256-gcm', this.#key, sealed.subarray(1, 1 + IV_BYTES));
    decipher.setAAD(Buffer.from(accessKeyId));
    decipher.setAuthTag(sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}
