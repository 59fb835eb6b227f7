/**
 * A function's answer as the HTTP response of its URL, as Lambda maps it (response payload
 * format 2.0): an object with `statusCode` gives the status, `headers`, `cookies` (each a
 * `Set-Cookie`) and `body` (`isBase64Encoded`: decoded); any other JSON value is a 200
 * `application/json` response whose body is that JSON.
 */

export interface UrlResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly cookies: readonly string[];
  readonly body: Buffer;
}

/** What a URL answers when the function fails (or its answer cannot be mapped). */
export const BAD_GATEWAY: UrlResponse = {
  status: 502,
  headers: { 'content-type': 'application/json' },
  cookies: [],
  body: Buffer.from('Internal Server Error'),
};

/** A stream made with `awslambda.HttpResponseStream.from`: a JSON prelude, 8 NUL bytes, then the body. */
export const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
export const PRELUDE_DELIMITER = Buffer.alloc(8);

/** The status, headers and cookies of an `HttpResponseStream` prelude (`statusCode` default 200). */
export function preludeResponse(text: string): Omit<UrlResponse, 'body'> {
  let meta: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) meta = parsed as Record<string, unknown>;
  } catch {
    // a prelude that is not JSON: status 200, no headers
  }
  const status = typeof meta.statusCode === 'number' && Number.isInteger(meta.statusCode) && meta.statusCode >= 100 && meta.statusCode <= 599 ? meta.statusCode : 200;
  const headers: Record<string, string> = {};
  if (typeof meta.headers === 'object' && meta.headers !== null) {
    for (const [k, v] of Object.entries(meta.headers as Record<string, unknown>)) if (v !== undefined && v !== null) headers[k.toLowerCase()] = String(v as string);
  }
  headers['content-type'] ??= 'application/octet-stream';
  const cookies = Array.isArray(meta.cookies) ? meta.cookies.filter((c): c is string => typeof c === 'string') : [];
  return { status, headers, cookies };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function mapFunctionResponse(payload: Buffer, contentType: string | undefined): UrlResponse {
  if (contentType?.split(';')[0]?.trim() === HTTP_INTEGRATION_CONTENT_TYPE) {
    // a streaming function's answer, buffered (a BUFFERED URL, or a worker host that does not stream)
    const at = payload.indexOf(PRELUDE_DELIMITER);
    if (at >= 0) return { ...preludeResponse(payload.subarray(0, at).toString('utf8')), body: payload.subarray(at + PRELUDE_DELIMITER.length) };
  }
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    return { status: 200, headers: { 'content-type': contentType ?? 'application/json' }, cookies: [], body: payload };
  }
  if (!isObject(value) || !('statusCode' in value)) {
    return { status: 200, headers: { 'content-type': 'application/json' }, cookies: [], body: payload };
  }
  return mapStatusObject(value) ?? BAD_GATEWAY;
}

/** The `{statusCode, headers, cookies, body, isBase64Encoded}` shape; undefined when malformed. */
export function mapStatusObject(value: Record<string, unknown>): UrlResponse | undefined {
  const status = typeof value.statusCode === 'string' && /^\d+$/.test(value.statusCode) ? Number(value.statusCode) : value.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) return undefined;
  const headers: Record<string, string> = {};
  if (isObject(value.headers)) {
    for (const [name, v] of Object.entries(value.headers)) {
      if (v === null || v === undefined) continue;
      headers[name.toLowerCase()] = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v as number | boolean);
    }
  }
  headers['content-type'] ??= 'application/json';
  const cookies = Array.isArray(value.cookies) ? value.cookies.filter((c): c is string => typeof c === 'string') : [];
  const raw = value.body;
  const text = raw === undefined || raw === null ? '' : typeof raw === 'string' ? raw : JSON.stringify(raw);
  const body = value.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return { status, headers, cookies, body };
}
