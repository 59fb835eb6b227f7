/**
 * Environment variables at rest: a FunctionStore over any adapter's that seals every version's
 * `environment` before it reaches the adapter and opens it on the way out. The adapters stay
 * storage-neutral (they keep a FunctionVersionConfig as JSON and never see a key); what they
 * are handed holds `environment: {}` and the sealed variables in `sealedEnvironment`.
 * Above the storage, a config holds its variables in the clear, as the API returns them.
 */
import type { AccountUsage, FunctionRecord, FunctionVersionConfig, ListCursor, PublishedRef } from '../../model/index.ts';
import type { FunctionStore } from '../ports.ts';
import type { EnvironmentCipher } from './environment-cipher.ts';

/** A config as stored: its variables, when it has any, only sealed. */
export interface StoredVersionConfig extends FunctionVersionConfig {
  readonly sealedEnvironment?: string;
}

/** True when a stored row holds variables in the clear (written before sealing existed). */
export function holdsPlaintextEnvironment(stored: StoredVersionConfig): boolean {
  return stored.sealedEnvironment === undefined && Object.keys(stored.environment).length > 0;
}

/** The stored form of a config: variables sealed (a config without variables stays as it is). */
export function sealConfig(cipher: EnvironmentCipher, config: FunctionVersionConfig): StoredVersionConfig {
  if (Object.keys(config.environment).length === 0) {
    const { sealedEnvironment: _drop, ...rest } = config as StoredVersionConfig;
    return rest;
  }
  return { ...config, environment: {}, sealedEnvironment: cipher.seal(config.functionName, config.version, config.environment) };
}

/** The config a stored row holds, variables in the clear (a row from before sealing passes as it is). */
export function openConfig(cipher: EnvironmentCipher, stored: StoredVersionConfig): FunctionVersionConfig {
  if (stored.sealedEnvironment === undefined) return stored;
  const { sealedEnvironment, ...rest } = stored;
  return { ...rest, environment: cipher.open(stored.functionName, stored.version, sealedEnvironment) };
}

export class SealedFunctionStore implements FunctionStore {
  readonly #inner: FunctionStore;
  readonly #cipher: EnvironmentCipher;

  constructor(inner: FunctionStore, cipher: EnvironmentCipher) {
    this.#inner = inner;
    this.#cipher = cipher;
  }

  insertFunction(record: FunctionRecord, latest: FunctionVersionConfig): Promise<boolean> {
    return this.#inner.insertFunction(record, this.#seal(latest));
  }

  insertVersion(config: FunctionVersionConfig, sourceDigest?: string): Promise<void> {
    return this.#inner.insertVersion(this.#seal(config), sourceDigest);
  }

  async getVersion(name: string, version: string): Promise<FunctionVersionConfig | undefined> {
    const stored = await this.#inner.getVersion(name, version);
    return stored && this.#open(stored);
  }

  async listVersions(name: string): Promise<FunctionVersionConfig[]> {
    return (await this.#inner.listVersions(name)).map((c) => this.#open(c));
  }

  async list(options: { readonly after?: ListCursor | undefined; readonly limit: number; readonly allVersions: boolean }): Promise<FunctionVersionConfig[]> {
    return (await this.#inner.list(options)).map((c) => this.#open(c));
  }

  async updateVersion(name: string, version: string, change: (current: FunctionVersionConfig) => FunctionVersionConfig): Promise<FunctionVersionConfig | undefined> {
    const stored = await this.#inner.updateVersion(name, version, (raw) => {
      const current = this.#open(raw);
      const next = change(current);
      return next === current ? raw : this.#seal(next);
    });
    return stored && this.#open(stored);
  }

  lastPublished(name: string): Promise<PublishedRef | undefined> {
    return this.#inner.lastPublished(name);
  }

  takeVersionNumber(name: string): Promise<number | undefined> {
    return this.#inner.takeVersionNumber(name);
  }

  deleteVersion(name: string, version: string): Promise<string | undefined> {
    return this.#inner.deleteVersion(name, version);
  }

  setReservedConcurrency(name: string, reserved: number | undefined): Promise<boolean> {
    return this.#inner.setReservedConcurrency(name, reserved);
  }

  reservations(): Promise<Array<{ readonly name: string; readonly reserved: number }>> {
    return this.#inner.reservations();
  }

  getFunction(name: string): Promise<FunctionRecord | undefined> {
    return this.#inner.getFunction(name);
  }

  deleteFunction(name: string): Promise<string[] | undefined> {
    return this.#inner.deleteFunction(name);
  }

  setTags(name: string, tags: Readonly<Record<string, string>>): Promise<boolean> {
    return this.#inner.setTags(name, tags);
  }

  isCodeReferenced(sha256Hex: string): Promise<boolean> {
    return this.#inner.isCodeReferenced(sha256Hex);
  }

  unsettledVersions(): Promise<Array<{ readonly name: string; readonly version: string; readonly lastModifiedMs: number }>> {
    return this.#inner.unsettledVersions();
  }

  usage(): Promise<AccountUsage> {
    return this.#inner.usage();
  }

  #seal(config: FunctionVersionConfig): StoredVersionConfig {
    return sealConfig(this.#cipher, config);
  }

  #open(stored: StoredVersionConfig): FunctionVersionConfig {
    return openConfig(this.#cipher, stored);
  }
}
