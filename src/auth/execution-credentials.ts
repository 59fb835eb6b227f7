/**
 * Execution-role credentials: each sandbox gets its own temporary access key (`ASIA...`), secret and
 * session token, naming `arn:aws:sts::ACCOUNT:assumed-role/ROLE/FUNCTION` (ROLE from the function's
 * Role ARN; ACCOUNT the function's, which is Flint's). They are rows of the credential store (the
 * secret sealed, the token as a digest), so every front end of a cluster verifies them; they end at
 * `expiresMs` (12 h, past any sandbox's lifetime) or when the sandbox is destroyed (`revoke`).
 */
import type { Clock } from '../shared/index.ts';
import type { CredentialStore } from '../storage/index.ts';
import { newAccessKeyId, newSecretAccessKey, newSessionToken } from './access-keys.ts';
import { tokenDigest } from './authenticator.ts';
import { assumedRoleArn } from './caller-identity.ts';
import type { SecretSeal } from './secret-seal.ts';

export const EXECUTION_CREDENTIALS_TTL_MS = 12 * 60 * 60 * 1000;

export interface TemporaryCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiresMs: number;
}

export class ExecutionCredentials {
  readonly #store: Pick<CredentialStore, 'insert' | 'delete' | 'deleteExpired'>;
  readonly #seal: SecretSeal;
  readonly #accountId: string;
  readonly #clock: Clock;

  constructor(deps: { store: Pick<CredentialStore, 'insert' | 'delete' | 'deleteExpired'>; seal: SecretSeal; accountId: string; clock: Clock }) {
    this.#store = deps.store;
    this.#seal = deps.seal;
    this.#accountId = deps.accountId;
    this.#clock = deps.clock;
  }

  /** New credentials for one sandbox of `functionName` running as `roleArn`. */
  async mint(functionName: string, roleArn: string): Promise<TemporaryCredentials> {
    const role = roleArn.slice(roleArn.lastIndexOf('/') + 1) || 'lambda-role';
    const createdMs = this.#clock.now();
    for (;;) {
      const accessKeyId = newAccessKeyId('temporary');
      const secretAccessKey = newSecretAccessKey();
      const sessionToken = newSessionToken();
      const expiresMs = createdMs + EXECUTION_CREDENTIALS_TTL_MS;
      const inserted = await this.#store.insert({
        accessKeyId,
        accountId: this.#accountId,
        name: `${role}/${functionName}`,
        arn: assumedRoleArn(this.#accountId, role, functionName),
        sealedSecret: this.#seal.seal(accessKeyId, secretAccessKey),
        sessionTokenDigest: tokenDigest(sessionToken),
        createdMs,
        expiresMs,
      });
      if (inserted) return { accessKeyId, secretAccessKey, sessionToken, expiresMs };
    }
  }

  /** Ends a sandbox's credentials at once. Idempotent. */
  async revoke(accessKeyId: string): Promise<void> {
    await this.#store.delete(accessKeyId);
  }

  /** Drops the rows of sessions that ended (sandboxes lost without a revoke). */
  async sweep(): Promise<number> {
    return this.#store.deleteExpired(this.#clock.now());
  }
}
