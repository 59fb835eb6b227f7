/**
 * What the HTTP-level fuzz tests share: arbitraries for hostile requests (near-valid and garbage
 * path labels, query strings, headers and bodies), one keep-alive HTTP client that sends any path
 * as given, and the property every response must have (no unexplained 5xx, no stack trace or file
 * path, a well-formed body).
 */
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { request } from 'node:http';
import fc from 'fast-check';

/** Seed of every fuzz run: fixed, so a run is repeatable; FUZZ_SEED to explore others (fast-check prints the seed and path of a failure). */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 14_06);

/**
 * Records how many inputs a property tried: a `# fuzz runs: NAME: N` line on stdout (the TAP/spec
 * reporters pass it through), and a JSON line appended to FUZZ_RUNS_FILE when set (docs/fuzzing.md
 * reports the totals).
 */
export function recordRuns(name: string, runs: number, detail = ''): void {
  console.log(`# fuzz runs: ${name}: ${runs}${detail === '' ? '' : ` (${detail})`}`);
  const file = process.env.FUZZ_RUNS_FILE;
  if (file !== undefined && file !== '') appendFileSync(file, `${JSON.stringify({ name, runs, detail })}\n`);
}

/**
 * fast-check's `assert`, recording the number of inputs actually tried (fewer than `numRuns` when
 * `interruptAfterTimeLimit` stopped it) under `name`; a failure throws fast-check's report
 * (seed, path and the shrunk counterexample).
 */
export async function checkProperty<Ts>(name: string, property: fc.IAsyncProperty<Ts> | fc.IProperty<Ts>, params: fc.Parameters<Ts>): Promise<void> {
  const details = await fc.check(property as fc.IAsyncProperty<Ts>, params);
  recordRuns(name, details.numRuns + details.numSkips);
  if (!details.failed) return;
  const report = (await fc.asyncDefaultReportMessage(details)) ?? `property ${name} failed`;
  const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(`${name}: ${cause.slice(0, 2000)}\n${report.length > 6000 ? `${report.slice(0, 6000)} ...` : report}`);
}

/**
 * 5xx answers Lambda documents for a cause other than a fault of the service itself (its sandbox,
 * runtime or package failed). ServiceException (500), the answer to an unhandled error, is never
 * an acceptable answer to hostile input: it is a bug.
 */
export const DOCUMENTED_5XX: ReadonlySet<string> = new Set([
  'ResourceNotReadyException', 'InvalidRuntimeException', 'InvalidZipFileException', 'EC2ThrottledException', 'EC2UnexpectedException',
  'ENILimitReachedException', 'KMSAccessDeniedException', 'KMSDisabledException', 'KMSInvalidStateException', 'KMSNotFoundException',
  'EFSIOException', 'EFSMountConnectivityException', 'EFSMountFailureException', 'EFSMountTimeoutException', 'SubnetIPAddressLimitReachedException',
  'InvalidSubnetIDException', 'InvalidSecurityGroupIDException', 'SnapStartException', 'SnapStartTimeoutException', 'SnapStartNotReadyException',
]);

/** Signs of internals in a response: a V8 stack frame, a source path, a module path. */
const LEAK = /\n\s+at \S|\bat (?:async )?[\w.<>]+ \(|(?:\/work\/|\/src\/|node_modules|file:\/\/|node:internal)|\.ts:\d+:\d+/;

export interface Sent {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer | string | undefined;
}

export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/**
 * An HTTP client that sends paths and headers exactly as given, each request on a connection of
 * its own (so that one request's answer never depends on what an earlier one did to a shared
 * connection, and fast-check's shrinking replays a failure faithfully).
 */
export class RawClient {
  readonly #host: string;
  readonly #port: number;

  constructor(endpoint: string) {
    const url = new URL(endpoint);
    this.#host = url.hostname;
    this.#port = Number(url.port);
  }

  /**
   * The answer, or undefined when Node's client refuses to send the request (an invalid header or
   * path on our side). A connection the server closes after answering (a body it refused to read)
   * still gives the answer; one it closes without answering rejects.
   */
  send(r: Sent, timeoutMs = 15_000): Promise<Answer | undefined> {
    return new Promise((resolve, reject) => {
      let answered = false;
      let req;
      try {
        req = request({ host: this.#host, port: this.#port, method: r.method, path: r.path, headers: framed(r), agent: false, timeout: timeoutMs }, (res) => {
          answered = true;
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        });
      } catch {
        resolve(undefined); // the client would not send it: not a request Flint can see
        return;
      }
      req.on('timeout', () => req.destroy(new Error(`no answer to ${r.method} ${r.path.slice(0, 200)} in ${timeoutMs} ms`)));
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (answered) return;
        // a server may answer (4xx) and close before it has read a large body it refuses; the
        // client then fails writing before it reads the answer. The process-alive check covers crashes.
        const refusedLargeBody = (err.code === 'EPIPE' || err.code === 'ECONNRESET') && r.body !== undefined && Buffer.byteLength(r.body) > 64 * 1024;
        if (refusedLargeBody) resolve(undefined);
        else reject(err);
      });
      try {
        req.end(r.body);
      } catch {
        req.destroy();
        resolve(undefined); // the client would not send it (a Trailer header without chunking): not a request Flint can see
      }
    });
  }

  close(): void {}
}

/**
 * The headers with the body framed: Node's client sends a GET or DELETE body with neither
 * Content-Length nor chunking, which is malformed HTTP (the raw-socket test covers that).
 */
function framed(r: Sent): Record<string, string> {
  if (r.body === undefined || Object.keys(r.headers).some((h) => h.toLowerCase() === 'content-length' || h.toLowerCase() === 'transfer-encoding')) return { ...r.headers };
  return { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) };
}

export interface Expectation {
  /** The API answers JSON (Lambda, Logs, cluster): a body, when there is one, parses; Lambda errors carry x-amzn-ErrorType. */
  readonly json?: 'lambda' | 'logs' | 'any' | undefined;
}

/** Asserts the fuzz property of one answer. */
export function checkAnswer(sent: Sent, answer: Answer, expect: Expectation = {}): void {
  const what = `${sent.method} ${sent.path.slice(0, 300)} -> ${answer.status}: ${answer.body.toString('utf8', 0, 500)}`;
  const errorType = header(answer, 'x-amzn-errortype');
  if (answer.status >= 500) {
    assert.ok(errorType !== undefined && DOCUMENTED_5XX.has(errorType), `an undocumented 5xx: ${what}`);
  }
  assert.ok(!LEAK.test(answer.body.toString('utf8')), `internals in the body: ${what}`);
  for (const [name, value] of Object.entries(answer.headers)) assert.ok(!LEAK.test(String(value)), `internals in header ${name}: ${what}`);
  const type = header(answer, 'content-type') ?? '';
  if (expect.json !== undefined && answer.body.length > 0 && sent.method !== 'HEAD' && /json/.test(type)) {
    assert.doesNotThrow(() => JSON.parse(answer.body.toString('utf8')), `a body that is not JSON: ${what}`);
  }
  if (expect.json === 'lambda' && answer.status >= 400) assert.ok(errorType !== undefined, `a Lambda error without x-amzn-ErrorType: ${what}`);
  if (expect.json === 'logs' && answer.status >= 400 && sent.method !== 'HEAD' && sent.headers['x-amz-target']?.startsWith('Logs_20140328.')) {
    const body = JSON.parse(answer.body.toString('utf8')) as { __type?: unknown };
    assert.equal(typeof body.__type, 'string', `a Logs error without __type: ${what}`);
  }
}

function header(answer: Answer, name: string): string | undefined {
  const v = answer.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

// ---- arbitraries -------------------------------------------------------------------------------

/** Percent-encodes what Node's client refuses in a path (space, controls, non-ASCII), keeping every other character as is. */
export function rawPath(s: string): string {
  return Array.from(Buffer.from(s, 'utf8')).map((b) => (b <= 0x20 || b >= 0x7f ? `%${b.toString(16).padStart(2, '0').toUpperCase()}` : String.fromCharCode(b))).join('');
}

const oddPieces = ['%', '%z', '%zz', '%00', '%2F', '%2f', '..', '.', '%2e%2e', '//', '\\', '?', '#', ';', ':', '$LATEST', '%24LATEST', '*', '~', '%C3%28', '%ED%A0%80', '%FF'];

/** A path label: a known name, a valid-looking one, an ARN, or garbage (odd characters, bad encodings, very long). */
export function labelArb(known: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...known) },
    { weight: 2, arbitrary: fc.stringMatching(/^[a-zA-Z0-9_-]{1,70}$/) },
    { weight: 1, arbitrary: fc.constantFrom(...known).map((n) => `arn:aws:lambda:us-east-1:000000000000:function:${n}`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...known), fc.oneof(fc.constant('$LATEST'), fc.stringMatching(/^[a-zA-Z0-9]{0,12}$/))).map(([n, q]) => `${n}:${q}`) },
    { weight: 2, arbitrary: fc.array(fc.oneof(fc.constantFrom(...oddPieces), fc.string({ maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 4 })), { minLength: 1, maxLength: 6 }).map((a) => rawPath(a.join(''))) },
    { weight: 1, arbitrary: fc.integer({ min: 200, max: 3000 }).map((n) => 'a'.repeat(n)) },
    { weight: 1, arbitrary: fc.constant('') },
  );
}

/** A query string: known members with odd values, unknown members, repeats, bare keys, bad encodings. */
export function queryArb(keys: readonly string[]): fc.Arbitrary<string> {
  const value = fc.oneof(fc.constantFrom('', '0', '-1', '1', '50', '10001', '1e3', 'ALL', 'true', '$LATEST', 'null', '%', '%zz', 'a'.repeat(2000)), fc.string({ maxLength: 12 }).map(rawPath));
  const pair = fc.oneof(
    fc.tuple(fc.constantFrom(...keys, 'Unknown', ''), value).map(([k, v]) => `${k}=${v}`),
    fc.constantFrom(...keys),
    fc.string({ maxLength: 8 }).map(rawPath),
  );
  return fc.oneof(fc.constant(''), fc.array(pair, { minLength: 1, maxLength: 5 }).map((a) => `?${a.join('&')}`));
}

/** Headers: content types (valid, odd, missing), lengths left to the client, the X-Amz headers with odd values. */
export function headersArb(extra: Readonly<Record<string, readonly string[]>> = {}): fc.Arbitrary<Record<string, string>> {
  const contentType = fc.constantFrom('application/json', 'application/x-amz-json-1.1', 'text/plain', 'application/octet-stream', 'application/json; charset=utf-16', 'multipart/form-data; boundary=', '', 'x/y;;;', '*/*');
  const names = { ...extra, 'x-amz-invocation-type': ['RequestResponse', 'Event', 'DryRun', 'bogus', ''], 'x-amz-log-type': ['Tail', 'None', 'x'], 'x-amz-client-context': ['e30=', 'not base64!', '', 'eyJjdXN0b20iOiB7fQ', 'a'.repeat(5000)], 'accept': ['*/*', 'text/html', 'application/json', ''], 'x-amz-target': ['Logs_20140328.DescribeLogGroups', 'x', ''], 'authorization': ['AWS4-HMAC-SHA256 Credential=', 'Bearer x', 'garbage'], 'host': ['localhost', 'abc.lambda-url.us-east-1.localhost', 'x'.repeat(300), '[::1]'], 'accept-encoding': ['gzip', 'br', 'identity;q=0'] };
  const headerPair = fc.constantFrom(...Object.keys(names)).chain((n) => fc.oneof(fc.constantFrom(...names[n as keyof typeof names]!), fc.string({ maxLength: 20 })).map((v) => [n, v] as const));
  return fc.tuple(fc.option(contentType, { nil: undefined }), fc.array(headerPair, { maxLength: 4 })).map(([ct, pairs]) => {
    const h: Record<string, string> = {};
    if (ct !== undefined) h['content-type'] = ct;
    for (const [n, v] of pairs) h[n] = v;
    return h;
  });
}

const deep = (n: number, open: string, close: string): string => open.repeat(n) + close.repeat(n);

/** A body: none, malformed JSON, deep nesting, huge strings, wrong types for known members, unknown members, binary. */
export function bodyArb(members: readonly string[]): fc.Arbitrary<string | Buffer | undefined> {
  const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(null, true, -1, 1e308, 2 ** 53 + 1, 'x'.repeat(70_000), [], {}, { Variables: { 'bad key': 1 } }));
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom('', '{', '}', '[', 'null', 'true', '0', '"s"', '{"a":}', '{"a":1,}', "{'a':1}", '\u0000', '{"a":"\\ud800"}', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}') },
    { weight: 1, arbitrary: fc.integer({ min: 1000, max: 20_000 }).chain((n) => fc.constantFrom(deep(n, '[', ']'), deep(n, '{"a":', '}').replace(/}$/, '1}'), `{"FunctionName":${deep(n, '[', ']')}}`)) },
    { weight: 3, arbitrary: fc.dictionary(fc.constantFrom(...members, 'Unknown', '__proto__'), anyValue, { maxKeys: 6 }).map((o) => JSON.stringify(o)) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)) },
    { weight: 1, arbitrary: fc.integer({ min: 100_000, max: 1_000_000 }).map((n) => `{"ZipFile":"${'A'.repeat(n)}"}`) },
  );
}

export const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'] as const;
