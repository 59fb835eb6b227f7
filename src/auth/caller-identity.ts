/** Who signed a request: an account's root, a user created with `flint credentials create`, or a sandbox's execution role. */
export interface CallerIdentity {
  readonly kind: 'root' | 'user' | 'session';
  readonly accountId: string;
  /** `arn:aws:iam::ACCOUNT:root`, `arn:aws:iam::ACCOUNT:user/NAME` or `arn:aws:sts::ACCOUNT:assumed-role/ROLE/FUNCTION`. */
  readonly arn: string;
  readonly accessKeyId: string;
}

/** What Flint knows about an access key: its secret, whose it is, and for temporary credentials their session token and end. */
export interface KnownKey {
  readonly secretAccessKey: string;
  readonly identity: CallerIdentity;
  /** Temporary credentials only: the session token the request must carry (compared by its SHA-256 digest). */
  readonly sessionTokenDigest?: string | undefined;
  readonly expiresMs?: number | undefined;
}

/** Finds an access key's secret and identity. */
export interface KeyDirectory {
  /** Undefined for a key Flint does not know (or no longer knows). */
  lookup(accessKeyId: string): Promise<KnownKey | undefined>;
}

export const rootArn = (accountId: string): string => `arn:aws:iam::${accountId}:root`;
export const userArn = (accountId: string, name: string): string => `arn:aws:iam::${accountId}:user/${name}`;
export const assumedRoleArn = (accountId: string, role: string, session: string): string => `arn:aws:sts::${accountId}:assumed-role/${role}/${session}`;
