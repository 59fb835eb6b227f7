/**
 * Code store: deployment packages content-addressed by SHA-256 and encrypted at
 * rest (AES-256-GCM), plus the checks and extraction of deployment packages
 * (zip-slip, escaping symlinks, zip bombs, Lambda's size quota).
 */
export { type CodeStore, type StoredCode, holdsIntact, isSha256Hex } from './code-store.ts';
export { FileCodeStore } from './file-code-store.ts';
export { MASTER_KEY_BYTES, loadOrCreateMasterKey } from './master-key.ts';
export { CodeIntegrityError, CodeNotFoundError, MasterKeyError, type IntegrityFailure } from './code-store-errors.ts';
export { inspectPackage } from './inspect-package.ts';
export { extractPackage } from './extract-package.ts';
export { type PackageManifest, type PackageEntry } from './package-manifest.ts';
export { type EntryKind } from './entry-kind.ts';
export { DEFAULT_PACKAGE_LIMITS, MAX_UNZIPPED_BYTES, type PackageLimits } from './package-limits.ts';
export { UNZIP_FAILED_MESSAGE } from './package-errors.ts';
export { deriveDataKey, openBlob, sealBlob, sha256 } from './blob-cipher.ts';
