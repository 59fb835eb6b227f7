/**
 * The code store keeps every deployment package, content-addressed by its
 * SHA-256 and encrypted at rest. Metadata (which function versions reference
 * which blob) lives with the control plane; the store only holds bytes.
 *
 * Today: one blob per package (whole-package AES-256-GCM, see blob-cipher.ts)
 * on the local disk. Planned, behind this same interface: large packages and
 * images split into chunks, each sealed with convergent encryption (key derived
 * from the chunk's own hash) so identical chunks dedupe across packages; and
 * tiers, worker-local L1 (unpacked directories, see extractPackage), a shared
 * L2 cache and a durable L3, with `get` reading through them. The interface
 * speaks only in whole packages, so chunking stays an implementation detail.
 */
import { CodeIntegrityError, CodeNotFoundError } from './code-store-errors.ts';

export interface StoredCode {
  /** Lower-case hex SHA-256 of the package: the blob's key (FunctionVersionConfig.codeSha256Hex). */
  readonly sha256Hex: string;
  /** The same digest in base64: Lambda's `CodeSha256`. */
  readonly sha256Base64: string;
  /** Package size in bytes: Lambda's `CodeSize`. */
  readonly size: number;
}

export interface CodeStore {
  /**
   * Stores a package once per content. Idempotent: identical bytes are stored
   * once, and storing them again repairs a damaged copy.
   * Pre: `zip` was checked (inspectPackage); the store does not look inside it.
   * Post: once resolved, the blob survives a crash or restart and `get` returns it.
   */
  put(zip: Buffer): Promise<StoredCode>;

  /**
   * The original bytes.
   * Post: resolves with bytes whose SHA-256 is `sha256Hex`. Rejects with
   * CodeNotFoundError when nothing is stored under that key (or the key is
   * malformed), and with CodeIntegrityError, never returning data, when the blob
   * fails authentication.
   */
  get(sha256Hex: string): Promise<Buffer>;

  /** Whether a blob is stored under the key (not whether it is intact). False for a malformed key. */
  has(sha256Hex: string): Promise<boolean>;

  /**
   * Removes a blob no function version references any longer. Idempotent.
   * Pre: the caller checked the references and serialises this against a `put`
   * of the same content (the store keeps no reference counts).
   */
  delete(sha256Hex: string): Promise<void>;

  /** Total plaintext bytes stored, each blob counted once (GetAccountSettings' TotalCodeSize). */
  totalSize(): Promise<number>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Whether the store holds the blob and it authenticates. A missing or damaged one counts as
 * absent, so that `put` (re)writes it; any other failure is thrown.
 */
export async function holdsIntact(store: Pick<CodeStore, 'get'>, sha256Hex: string): Promise<boolean> {
  try {
    await store.get(sha256Hex);
    return true;
  } catch (err) {
    if (err instanceof CodeNotFoundError || err instanceof CodeIntegrityError) return false;
    throw err;
  }
}

/** A well-formed blob key: 64 lower-case hex digits. Anything else can never name a blob (and never reaches the file system). */
export function isSha256Hex(key: string): boolean {
  return SHA256_HEX.test(key);
}
