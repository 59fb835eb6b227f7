import { createHash } from 'node:crypto';
import { CodeIntegrityError, CodeNotFoundError } from '../code-store-errors.ts';
import { isSha256Hex, type CodeStore, type StoredCode } from '../code-store.ts';

/**
 * A CodeStore fake for unit tests of other components: same contract, kept in
 * memory, no encryption. `corrupt` makes the next reads of a blob fail the way
 * a tampered blob on disk does.
 */
export class InMemoryCodeStore implements CodeStore {
  readonly #blobs = new Map<string, { bytes: Buffer; corrupt: boolean }>();

  async put(zip: Buffer): Promise<StoredCode> {
    const digest = createHash('sha256').update(zip).digest();
    const sha256Hex = digest.toString('hex');
    const existing = this.#blobs.get(sha256Hex);
    if (!existing || existing.corrupt) this.#blobs.set(sha256Hex, { bytes: Buffer.from(zip), corrupt: false });
    return { sha256Hex, sha256Base64: digest.toString('base64'), size: zip.length };
  }

  async get(sha256Hex: string): Promise<Buffer> {
    const blob = isSha256Hex(sha256Hex) ? this.#blobs.get(sha256Hex) : undefined;
    if (!blob) throw new CodeNotFoundError(sha256Hex);
    if (blob.corrupt) throw new CodeIntegrityError(sha256Hex, 'tag', 'marked corrupt by the test');
    return Buffer.from(blob.bytes);
  }

  async has(sha256Hex: string): Promise<boolean> {
    return this.#blobs.has(sha256Hex);
  }

  async delete(sha256Hex: string): Promise<void> {
    this.#blobs.delete(sha256Hex);
  }

  async totalSize(): Promise<number> {
    let total = 0;
    for (const blob of this.#blobs.values()) total += blob.bytes.length;
    return total;
  }

  /** Test hook: later `get`s of this blob throw CodeIntegrityError until it is `put` again. */
  corrupt(sha256Hex: string): void {
    const blob = this.#blobs.get(sha256Hex);
    if (blob) blob.corrupt = true;
  }
}
