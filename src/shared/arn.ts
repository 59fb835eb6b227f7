/** Lambda ARNs and the three spellings of FunctionName: name, partial ARN, full ARN. */

export interface Account {
  readonly region: string;
  readonly accountId: string;
}

export interface FunctionRef {
  readonly name: string;
  /** Qualifier embedded in the ARN (`:alias`, `:3`, `:$LATEST`), if any. */
  readonly qualifier: string | undefined;
}

const FUNCTION_REF = /^(?:arn:(?:aws[a-zA-Z-]*)?:lambda:)?(?:([a-z]{2}(?:-gov)?-[a-z]+-\d):)?(?:(\d{12}):)?(?:function:)?([a-zA-Z0-9_.-]+)(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/;

/**
 * Parses a FunctionName as the API accepts it. Returns undefined when it fits none
 * of the spellings, or names another region or account than ours.
 */
export function parseFunctionRef(input: string, account: Account): FunctionRef | undefined {
  const m = FUNCTION_REF.exec(input);
  if (!m) return undefined;
  const [, region, accountId, name, qualifier] = m;
  if (region !== undefined && region !== account.region) return undefined;
  if (accountId !== undefined && accountId !== account.accountId) return undefined;
  if (input.startsWith('arn:') && (region === undefined || accountId === undefined)) return undefined;
  return { name: name!, qualifier };
}

export function functionArn(account: Account, name: string, qualifier?: string): string {
  const base = `arn:aws:lambda:${account.region}:${account.accountId}:function:${name}`;
  return qualifier === undefined ? base : `${base}:${qualifier}`;
}

export function roleArnPattern(): RegExp {
  return /^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-/]+$/;
}
