/**
 * The access keys Flint accepts: the root credential from the environment (FLINT_ROOT_ACCESS_KEY_ID
 * / FLINT_ROOT_SECRET_ACCESS_KEY, as MinIO takes them), then the credential store (users made with
 * `flint credentials create`, and execution-role sessions of live sandboxes), whose secrets are
 * opened with the master key.
 */
import type { CredentialStore } from '../storage/index.ts';
import { rootArn, type CallerIdentity, type KeyDirectory, type KnownKey } from './caller-identity.ts';
import type { SecretSeal } from './secret-seal.ts';

export interface RootCredential {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly accountId: string;
}

export class StoredKeyDirectory implements KeyDirectory {
  readonly #root: KnownKey | undefined;
  readonly #store: Pick<CredentialStore, 'get'>;
  readonly #seal: SecretSeal;

  constructor(deps: { root: RootCredential | undefined; store: Pick<CredentialStore, 'get'>; seal: SecretSeal }) {
    const root = deps.root;
    this.#root = root === undefined ? undefined : { secretAccessKey: root.secretAccessKey, identity: { kind: 'root', accountId: root.accountId, arn: rootArn(root.accountId), accessKeyId: root.accessKeyId } };
    this.#store = deps.store;
    this.#seal = deps.seal;
  }

  async lookup(accessKeyId: string): Promise<KnownKey | undefined> {
    if (this.#root !== undefined && accessKeyId === this.#root.identity.accessKeyId) return this.#root;
    const stored = await this.#store.get(accessKeyId);
    if (stored === undefined) return undefined;
    const identity: CallerIdentity = { kind: stored.sessionTokenDigest === undefined ? 'user' : 'session', accountId: stored.accountId, arn: stored.arn, accessKeyId };
    return { secretAccessKey: this.#seal.open(accessKeyId, stored.sealedSecret), identity, sessionTokenDigest: stored.sessionTokenDigest, expiresMs: stored.expiresMs };
  }
}
