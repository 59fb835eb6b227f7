/**
 * Whether a request's SigV4 signature is the one its secret key makes. The expected signature
 * is computed by @smithy/signature-v4 (the AWS SDK's own signer) over the request as received:
 * its method, path and query as sent, exactly the headers it lists as signed, and its payload
 * hash: the `x-amz-content-sha256` it signed (which must then be the body's hash, or
 * UNSIGNED-PAYLOAD), else the hash of the body bytes. A presigned URL is also accepted over
 * UNSIGNED-PAYLOAD (as S3 signs them).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from './node-sha256.ts';
import type { ParsedSignature } from './signature-parser.ts';
import { headerOf, queryPairs, type SignedRequest } from './signed-request.ts';

const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** A body the signer cannot hash: it signs UNSIGNED-PAYLOAD for it. */
const UNHASHABLE_BODY = Object.freeze({ unsigned: true });

type Query = Record<string, string | string[]>;

export async function signatureMatches(request: SignedRequest, parsed: ParsedSignature, secretAccessKey: string): Promise<boolean> {
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const name of parsed.signedHeaders) {
    const value = headerOf(request, name);
    if (value === undefined) return false;
    headers[name] = value;
  }
  const contentHash = headers['x-amz-content-sha256'];
  if (contentHash !== undefined && contentHash !== UNSIGNED_PAYLOAD && contentHash !== sha256Hex(request.body)) return false;
  const signer = new SignatureV4({
    credentials: { accessKeyId: parsed.accessKeyId, secretAccessKey },
    region: parsed.region,
    service: parsed.service,
    sha256: NodeSha256,
    uriEscapePath: true,
    applyChecksum: false,
  });
  const host = headers['host'] ?? '';
  const base = { method: request.method, protocol: 'http:', hostname: host, path: request.path, headers, query: {} as Query };
  const signing = { signingDate: new Date(parsed.signedAtMs), signingRegion: parsed.region, signingService: parsed.service, signableHeaders: new Set(parsed.signedHeaders) };
  if (parsed.form === 'header') {
    const signed = await signer.sign({ ...base, query: queryOf(request.query, []), body: request.body }, signing);
    return same(/Signature=([0-9a-f]+)/.exec(String(signed.headers['authorization']))?.[1], parsed.signature);
  }
  const query = queryOf(request.query, ['X-Amz-Signature']);
  const presign = { ...signing, expiresIn: parsed.expiresSeconds, unhoistableHeaders: new Set(parsed.signedHeaders) };
  for (const body of [request.body, UNHASHABLE_BODY]) {
    const signed = await signer.presign({ ...base, query, body }, presign);
    if (same(signed.query?.['X-Amz-Signature'] as string | undefined, parsed.signature)) return true;
  }
  return false;
}

/** The query as the signer takes it: names to values (a repeated name to its values), leaving out `omit`. */
function queryOf(raw: string, omit: readonly string[]): Query {
  const out: Query = Object.create(null) as Query;
  for (const [name, value] of queryPairs(raw)) {
    if (omit.includes(name)) continue;
    const had = out[name];
    out[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
  }
  return out;
}

function sha256Hex(body: Uint8Array | undefined): string {
  return createHash('sha256').update(body ?? new Uint8Array()).digest('hex');
}

function same(computed: string | undefined, given: string): boolean {
  if (computed === undefined || computed.length !== given.length) return false;
  return timingSafeEqual(Buffer.from(computed), Buffer.from(given));
}
