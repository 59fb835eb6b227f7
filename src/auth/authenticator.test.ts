import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignatureV4 } from '@smithy/signature-v4';
import { ApiError } from '../shared/index.ts';
import { Authenticator, tokenDigest } from './authenticator.ts';
import type { KnownKey } from './caller-identity.ts';
import { NodeSha256 } from './node-sha256.ts';
import type { SignedRequest } from './signed-request.ts';

const NOW = Date.UTC(2026, 11, 6, 8, 0, 0);
const ROOT = { accessKeyId: 'AKIAROOTROOTROOT0001', secretAccessKey: 'root-secret-0123456789012345678901234567' };
const SESSION = { accessKeyId: 'ASIASESSIONSESSION01', secretAccessKey: 'session-secret-012345678901234567890123', sessionToken: 'tok-of-the-sandbox' };
const keys = new Map<string, KnownKey>([
  [ROOT.accessKeyId, { secretAccessKey: ROOT.secretAccessKey, identity: { kind: 'root', accountId: '000000000000', arn: 'arn:aws:iam::000000000000:root', accessKeyId: ROOT.accessKeyId } }],
  [SESSION.accessKeyId, {
    secretAccessKey: SESSION.secretAccessKey,
    sessionTokenDigest: tokenDigest(SESSION.sessionToken),
    expiresMs: NOW + 60_000,
    identity: { kind: 'session', accountId: '000000000000', arn: 'arn:aws:sts::000000000000:assumed-role/r/f', accessKeyId: SESSION.accessKeyId },
  }],
]);
const authenticator = (nowMs = NOW) => new Authenticator({ keys: { lookup: (id) => Promise.resolve(keys.get(id)) }, region: 'us-east-1', clock: { now: () => nowMs } });

interface Plain { method: string; path: string; query?: Record<string, string>; headers?: Record<string, string>; body?: string }

function signer(creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, service = 'lambda', region = 'us-east-1') {
  return new SignatureV4({ credentials: creds, region, service, sha256: NodeSha256 });
}

/** The request as a server receives it from what an SDK signed. */
function received(signed: { method: string; path: string; query?: Record<string, unknown>; headers: Record<string, string>; body?: unknown }): SignedRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = v;
  const query = Object.entries(signed.query ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
  return { method: signed.method, path: signed.path, query, headers, body: typeof signed.body === 'string' ? Buffer.from(signed.body) : undefined };
}

async function signHeader(req: Plain, creds: Parameters<typeof signer>[0] = ROOT, at = NOW, service = 'lambda'): Promise<SignedRequest> {
  const signed = await signer(creds, service).sign({ protocol: 'http:', hostname: '127.0.0.1:9977', headers: { host: '127.0.0.1:9977', ...req.headers }, query: req.query ?? {}, method: req.method, path: req.path, body: req.body }, { signingDate: new Date(at) });
  return received({ ...signed, body: req.body });
}

async function presign(req: Plain, creds: Parameters<typeof signer>[0] = ROOT, at = NOW, expiresIn = 900): Promise<SignedRequest> {
  const signed = await signer(creds).presign({ protocol: 'http:', hostname: '127.0.0.1:9977', headers: { host: '127.0.0.1:9977' }, query: req.query ?? {}, method: req.method, path: req.path, body: req.body }, { signingDate: new Date(at), expiresIn });
  return received({ ...signed, body: req.body });
}

const rejectsWith = async (p: Promise<unknown>, code: string, text?: RegExp) =>
  assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof ApiError, String(err));
    assert.equal(err.code, code);
    if (text) assert.match(err.message, text);
    return true;
  });

const invoke: Plain = { method: 'POST', path: '/2015-03-31/functions/my-fn/invocations', headers: { 'content-type': 'application/json' }, body: '{"a":1}' };

describe('the SigV4 authenticator', () => {
  it('accepts a request signed in the Authorization header and names its signer', async () => {
    const identity = await authenticator().authenticate(await signHeader(invoke), 'lambda');
    assert.equal(identity.arn, 'arn:aws:iam::000000000000:root');
  });

  it('accepts a presigned URL, and refuses it once it has expired', async () => {
    const get: Plain = { method: 'GET', path: '/2015-03-31/functions/my-fn', query: { Qualifier: '1' } };
    assert.equal((await authenticator().authenticate(await presign(get), 'lambda')).kind, 'root');
    await rejectsWith(authenticator(NOW + 901_000).authenticate(await presign(get), 'lambda'), 'InvalidSignatureException', /^Signature expired: /);
  });

  it('refuses a wrong secret with InvalidSignatureException and AWS\'s text', async () => {
    const req = await signHeader(invoke, { accessKeyId: ROOT.accessKeyId, secretAccessKey: 'not-the-secret' });
    await rejectsWith(authenticator().authenticate(req, 'lambda'), 'InvalidSignatureException', /^The request signature we calculated does not match the signature you provided\./);
  });

  it('refuses an unknown access key with UnrecognizedClientException', async () => {
    const req = await signHeader(invoke, { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x' });
    await rejectsWith(authenticator().authenticate(req, 'lambda'), 'UnrecognizedClientException', /^The security token included in the request is invalid\.$/);
  });

  it('refuses a date more than 15 minutes before or after the server\'s clock', async () => {
    await rejectsWith(authenticator(NOW + 16 * 60_000).authenticate(await signHeader(invoke), 'lambda'), 'InvalidSignatureException', /^Signature expired: 20261206T080000Z is now earlier than/);
    await rejectsWith(authenticator(NOW - 16 * 60_000).authenticate(await signHeader(invoke), 'lambda'), 'InvalidSignatureException', /^Signature not yet current: /);
    assert.equal((await authenticator(NOW + 14 * 60_000).authenticate(await signHeader(invoke), 'lambda')).kind, 'root');
  });

  it('refuses a body changed after signing, with or without a signed x-amz-content-sha256', async () => {
    const tampered = { ...(await signHeader(invoke)), body: Buffer.from('{"a":2}') };
    await rejectsWith(authenticator().authenticate(tampered, 'lambda'), 'InvalidSignatureException');
    const withHash = await signHeader({ ...invoke, headers: { 'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }, body: '' });
    await authenticator().authenticate(withHash, 'lambda');
    await rejectsWith(authenticator().authenticate({ ...withHash, body: Buffer.from('x') }, 'lambda'), 'InvalidSignatureException');
  });

  it('signs the path as sent (encoded labels, dot segments) and the query in canonical order', async () => {
    const req = await signHeader({ method: 'GET', path: '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Af/./configuration', query: { b: 'two words', a: '1/2', Qualifier: '$LATEST' } });
    await authenticator().authenticate(req, 'lambda');
    const reordered = { ...req, query: req.query.split('&').reverse().join('&') };
    await authenticator().authenticate(reordered, 'lambda');
    await rejectsWith(authenticator().authenticate({ ...req, path: '/2015-03-31/functions/other/configuration' }, 'lambda'), 'InvalidSignatureException');
    await rejectsWith(authenticator().authenticate({ ...req, query: `${req.query}&extra=1` }, 'lambda'), 'InvalidSignatureException');
  });

  it('refuses a changed signed header and a signed header that is missing', async () => {
    const req = await signHeader(invoke);
    await rejectsWith(authenticator().authenticate({ ...req, headers: { ...req.headers, 'content-type': 'text/plain' } }, 'lambda'), 'InvalidSignatureException');
    const { ['content-type']: _gone, ...rest } = req.headers;
    await rejectsWith(authenticator().authenticate({ ...req, headers: rest }, 'lambda'), 'InvalidSignatureException');
  });

  it('checks the credential scope: Flint\'s region and the service the request is for', async () => {
    await rejectsWith(authenticator().authenticate(await signHeader(invoke, ROOT, NOW, 'logs'), 'lambda'), 'InvalidSignatureException', /correct service: 'lambda'/);
    const other = await signer(ROOT, 'lambda', 'eu-west-1').sign({ protocol: 'http:', hostname: 'h', headers: { host: 'h' }, method: 'GET', path: '/', query: {} }, { signingDate: new Date(NOW) });
    await rejectsWith(authenticator().authenticate(received(other), 'lambda'), 'InvalidSignatureException', /valid region, not 'eu-west-1'/);
  });

  it('answers MissingAuthenticationTokenException for an unsigned request and IncompleteSignatureException for a partial one', async () => {
    await rejectsWith(authenticator().authenticate({ method: 'GET', path: '/', query: '', headers: { host: 'h' }, body: undefined }, 'lambda'), 'MissingAuthenticationTokenException', /^Missing Authentication Token$/);
    await rejectsWith(authenticator().authenticate({ method: 'GET', path: '/', query: '', headers: { host: 'h', authorization: 'AWS4-HMAC-SHA256 Credential=a/b' }, body: undefined }, 'lambda'), 'IncompleteSignatureException');
  });

  it('temporary credentials need their session token, and end when their session does', async () => {
    await authenticator().authenticate(await signHeader(invoke, SESSION), 'lambda');
    const withoutToken = await signHeader(invoke, { accessKeyId: SESSION.accessKeyId, secretAccessKey: SESSION.secretAccessKey });
    await rejectsWith(authenticator().authenticate(withoutToken, 'lambda'), 'UnrecognizedClientException');
    const otherToken = await signHeader(invoke, { ...SESSION, sessionToken: 'forged' });
    await rejectsWith(authenticator().authenticate(otherToken, 'lambda'), 'UnrecognizedClientException');
    await rejectsWith(authenticator(NOW + 60_000).authenticate(await signHeader(invoke, SESSION, NOW + 60_000), 'lambda'), 'UnrecognizedClientException');
  });
});
