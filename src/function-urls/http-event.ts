/**
 * A request to a function URL as the event the function receives: payload format version 2.0,
 * as Lambda builds it (AWS, "Invoking Lambda function URLs", request payload format).
 */

export interface UrlRequest {
  readonly method: string;
  /** The path as sent (still percent-encoded), `/` at least. */
  readonly rawPath: string;
  /** What follows `?`, as sent ('' when none). */
  readonly rawQueryString: string;
  /** Header names and values in arrival order (node's `rawHeaders`). */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly protocol: string;
  readonly urlId: string;
  readonly domainName: string;
  readonly accountId: string;
  readonly requestId: string;
  readonly timeMs: number;
  /** Set for an AWS_IAM URL: the access key the request was signed with. */
  readonly iamAccessKey?: string | undefined;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, the requestContext.time format. */
export function requestTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** Bodies of these types reach the function as text; any other (or none given) as base64. */
export function isTextContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/xml' ||
    type.endsWith('+xml') ||
    type === 'application/javascript' ||
    type === 'application/ecmascript'
  );
}

/** Lower-case names, repeated headers joined with commas; `cookie` headers become the cookies list. */
function headersAndCookies(rawHeaders: readonly string[]): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rawHeaders[i + 1]!;
    if (name === 'cookie') {
      cookies.push(...value.split(';').map((c) => c.trim()).filter((c) => c !== ''));
      continue;
    }
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  return { headers, cookies };
}

/** Decoded query parameters, repeated ones joined with commas; undefined when there are none. */
export function queryParameters(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    out[key] = key in out ? `${out[key]},${value}` : value;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

export function buildHttpEvent(r: UrlRequest): Record<string, unknown> {
  const { headers, cookies } = headersAndCookies(r.rawHeaders);
  if (headers['x-forwarded-for'] === undefined) headers['x-forwarded-for'] = r.sourceIp;
  if (headers['x-forwarded-proto'] === undefined) headers['x-forwarded-proto'] = 'http';
  const query = queryParameters(r.rawQueryString);
  const text = isTextContentType(headers['content-type']);
  const hasBody = r.body.length > 0;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: r.rawPath,
    rawQueryString: r.rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(query === undefined ? {} : { queryStringParameters: query }),
    requestContext: {
      accountId: r.iamAccessKey === undefined ? 'anonymous' : r.accountId,
      apiId: r.urlId,
      ...(r.iamAccessKey === undefined
        ? {}
        : { authorizer: { iam: { accessKey: r.iamAccessKey, accountId: r.accountId, callerId: null, cognitoIdentity: null, principalOrgId: null, userArn: null, userId: null } } }),
      domainName: r.domainName,
      domainPrefix: r.urlId,
      http: { method: r.method, path: r.rawPath, protocol: r.protocol, sourceIp: r.sourceIp, userAgent: headers['user-agent'] ?? '' },
      requestId: r.requestId,
      routeKey: '$default',
      stage: '$default',
      time: requestTime(r.timeMs),
      timeEpoch: r.timeMs,
    },
    ...(hasBody ? { body: text ? r.body.toString('utf8') : r.body.toString('base64') } : {}),
    isBase64Encoded: hasBody && !text,
  };
}
