/**
 * Reads a SigV4 signature out of a request, in either form AWS accepts: the `Authorization`
 * header (`AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request, SignedHeaders=...,
 * Signature=...` with `X-Amz-Date`), or a presigned query (`X-Amz-Algorithm`, `X-Amz-Credential`,
 * `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders`, `X-Amz-Signature`). Pure: it checks the
 * shape only (the signature itself is checked by signature-check.ts). Every refusal is an
 * ApiError with AWS's code (MissingAuthenticationTokenException, IncompleteSignatureException,
 * InvalidSignatureException); nothing else is thrown, whatever the input.
 */
import { ApiError } from '../shared/index.ts';
import { headerOf, queryPairs, type SignedRequest } from './signed-request.ts';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
/** Longest life of a presigned URL (SigV4: one week). */
export const MAX_PRESIGNED_EXPIRES_SECONDS = 604_800;

export interface ParsedSignature {
  readonly form: 'header' | 'query';
  readonly accessKeyId: string;
  /** The credential scope: `DATE/REGION/SERVICE/aws4_request`. */
  readonly scopeDate: string;
  readonly region: string;
  readonly service: string;
  /** Lower-case header names, as listed in SignedHeaders. */
  readonly signedHeaders: readonly string[];
  /** 64 lower-case hex digits. */
  readonly signature: string;
  /** `YYYYMMDDTHHMMSSZ` */
  readonly amzDate: string;
  readonly signedAtMs: number;
  /** Presigned form: how long the URL lives. */
  readonly expiresSeconds: number | undefined;
  /** `X-Amz-Security-Token` (header or query): temporary credentials' session token. */
  readonly sessionToken: string | undefined;
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const SIGNATURE = /^[0-9a-f]{64}$/;
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;

const incomplete = (message: string): ApiError => new ApiError('IncompleteSignatureException', message);

/** The signature a request carries. Throws MissingAuthenticationTokenException when it carries none. */
export function parseSignature(request: SignedRequest): ParsedSignature {
  const authorization = headerOf(request, 'authorization');
  const query = queryPairs(request.query);
  const inQuery = query.some(([name]) => name === 'X-Amz-Signature' || name === 'X-Amz-Credential' || name === 'X-Amz-Algorithm');
  if (authorization !== undefined && authorization.trim() !== '') return parseHeaderForm(request, authorization);
  if (inQuery) return parseQueryForm(query);
  throw new ApiError('MissingAuthenticationTokenException', 'Missing Authentication Token');
}

function parseHeaderForm(request: SignedRequest, authorization: string): ParsedSignature {
  const space = authorization.indexOf(' ');
  const algorithm = space < 0 ? authorization : authorization.slice(0, space);
  if (algorithm !== ALGORITHM) throw incomplete(`Authorization header requires the ${ALGORITHM} algorithm. Authorization=${printable(authorization)}`);
  const parts = new Map<string, string>();
  for (const piece of authorization.slice(space + 1).split(',')) {
    const eq = piece.indexOf('=');
    if (eq > 0) parts.set(piece.slice(0, eq).trim(), piece.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((p) => !parts.get(p));
  const amzDate = headerOf(request, 'x-amz-date');
  const problems = missing.map((p) => `Authorization header requires '${p}' parameter.`);
  if (amzDate === undefined) problems.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (problems.length > 0) throw incomplete(`${problems.join(' ')} Authorization=${printable(authorization)}`);
  return build('header', parts.get('Credential')!, parts.get('SignedHeaders')!, parts.get('Signature')!, amzDate!, undefined, headerOf(request, 'x-amz-security-token'));
}

function parseQueryForm(query: Array<[string, string]>): ParsedSignature {
  const value = (name: string): string | undefined => query.find(([n]) => n === name)?.[1];
  const required = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature'];
  const missing = required.filter((name) => !value(name));
  if (missing.length > 0) throw incomplete(`AWS query-string parameters must include ${missing.map((m) => `'${m}'`).join(', ')}. Re-examine the query-string parameters.`);
  if (value('X-Amz-Algorithm') !== ALGORITHM) throw incomplete(`X-Amz-Algorithm only supports '${ALGORITHM}'`);
  const expiresText = value('X-Amz-Expires')!;
  const expires = /^\d{1,7}$/.test(expiresText) ? Number(expiresText) : NaN;
  if (!(expires >= 1 && expires <= MAX_PRESIGNED_EXPIRES_SECONDS)) {
    throw incomplete(`X-Amz-Expires must be a number of seconds from 1 to ${MAX_PRESIGNED_EXPIRES_SECONDS} (one week)`);
  }
  return build('query', value('X-Amz-Credential')!, value('X-Amz-SignedHeaders')!, value('X-Amz-Signature')!, value('X-Amz-Date')!, expires, value('X-Amz-Security-Token'));
}

function build(form: ParsedSignature['form'], credential: string, signedHeaderList: string, signature: string, amzDate: string, expiresSeconds: number | undefined, sessionToken: string | undefined): ParsedSignature {
  const scope = credential.split('/');
  if (scope.length !== 5 || scope.some((p) => p === '') || scope[4] !== 'aws4_request') {
    throw incomplete(`Credential should be scoped to a valid region, service and date: keyid/date/region/service/aws4_request, not '${printable(credential)}'.`);
  }
  const [accessKeyId, scopeDate, region, service] = scope as [string, string, string, string];
  const signedAtMs = parseAmzDate(amzDate);
  if (signedAtMs === undefined) throw incomplete(`Date must be in ISO-8601 'basic format' (YYYYMMDDTHHMMSSZ). Got '${printable(amzDate)}'.`);
  if (scopeDate !== amzDate.slice(0, 8)) {
    throw new ApiError('InvalidSignatureException', `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${printable(scopeDate)}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`);
  }
  const signedHeaders = signedHeaderList.split(';');
  if (signedHeaders.some((h) => !HEADER_NAME.test(h))) throw incomplete(`SignedHeaders must be lower-case header names separated by ';', not '${printable(signedHeaderList)}'.`);
  if (!signedHeaders.includes('host')) throw incomplete("'Host' must be a signed header.");
  if (!SIGNATURE.test(signature)) throw new ApiError('InvalidSignatureException', SIGNATURE_MISMATCH);
  return { form, accessKeyId, scopeDate, region, service, signedHeaders, signature, amzDate, signedAtMs, expiresSeconds, sessionToken: sessionToken === '' ? undefined : sessionToken };
}

export const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** Milliseconds since the epoch of a `YYYYMMDDTHHMMSSZ` date; undefined when it is not one (or not a real date). */
export function parseAmzDate(text: string): number | undefined {
  const m = AMZ_DATE.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && h < 24 && mi < 60 && s < 60 ? ms : undefined;
}

/** `YYYYMMDDTHHMMSSZ` of an instant. */
export function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** At most 200 printable ASCII characters of a caller's value, for an error message. */
function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
}
