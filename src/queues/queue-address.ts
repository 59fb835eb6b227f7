/** Queue URLs (`http://HOST/ACCOUNT/NAME`, on the endpoint the caller used) and ARNs (`arn:aws:sqs:REGION:ACCOUNT:NAME`). */

export interface QueueAccount {
  readonly region: string;
  readonly accountId: string;
}

export function queueUrl(origin: string, account: QueueAccount, name: string): string {
  return `${origin}/${account.accountId}/${name}`;
}

export function queueArn(account: QueueAccount, name: string): string {
  return `arn:aws:sqs:${account.region}:${account.accountId}:${name}`;
}

/** The queue a QueueUrl names (any host; the account must be Flint's), or undefined. */
export function queueNameOfUrl(url: string, account: QueueAccount): string | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url;
  }
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.length !== 2 || parts[0] !== account.accountId) return undefined;
  return decodeURIComponent(parts[1]!);
}

/** The queue an ARN names in this region and account, or undefined. */
export function queueNameOfArn(arn: string, account: QueueAccount): string | undefined {
  const parts = arn.split(':');
  if (parts.length !== 6 || parts[0] !== 'arn' || parts[2] !== 'sqs' || parts[3] !== account.region || parts[4] !== account.accountId) return undefined;
  return parts[5];
}
