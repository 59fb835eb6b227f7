/**
 * Hostile input never crashes the Runtime API (issue 14, item 6): the per-sandbox Runtime API
 * server (src/worker-host/runtime-api), started here on a real loopback socket as a worker host
 * starts it, with sessions in each state a runtime meets (before its init document, waiting in
 * /next, with an invocation in flight, after it answered). Property-based sequences of requests:
 * valid and garbage paths (request ids real, foreign, encoded, huge), every method, the
 * Lambda-Runtime headers with odd values, and bodies (none, JSON, garbage, over the 6 MB limit).
 * Every answer: no 5xx, no stack trace or source path, a JSON error body; the server stays up, and
 * afterwards a session goes through init, an invocation and its response as a runtime's would.
 * Seeded (FUZZ_SEED); the number of requests tried is printed for docs/fuzzing.md.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { RuntimeApiServer, type Invocation, type RuntimeSessionHandle } from '../../src/worker-host/runtime-api/index.ts';
import { checkAnswer, checkProperty, FUZZ_SEED, rawPath, RawClient, type Sent } from './fuzz-support.ts';

const BASE = '/2018-06-01';
const NEXT = `${BASE}/runtime/invocation/next`;
const PARKING = new Set([NEXT, `${BASE}/flint/specialize`]);
const STAGES = ['started', 'specialized', 'waiting', 'inflight', 'answered'] as const;
type Stage = (typeof STAGES)[number];

const LIVE_ID = '8476a536-e9f4-11e8-9739-2dfe598c3fcd';

function invocation(requestId: string): Invocation {
  return { requestId, payload: Buffer.from('{"a":1}'), deadlineMs: Date.now() + 60_000, invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fz' };
}

/** A request id in a path: the live one, another, encoded forms, garbage, very long. */
const requestIdArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant(LIVE_ID) },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.constantFrom(encodeURIComponent(LIVE_ID), LIVE_ID.toUpperCase(), `${LIVE_ID}%00`, '%', '%zz', '%ED%A0%80', '..', '.', '', '%2F', 'a'.repeat(5000)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map(rawPath) },
);

const pathArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: requestIdArb.chain((id) => fc.constantFrom(`${BASE}/runtime/invocation/${id}/response`, `${BASE}/runtime/invocation/${id}/error`, `${BASE}/runtime/invocation/${id}/`, `${BASE}/runtime/invocation/${id}`, `${BASE}/runtime/invocation/${id}/response/x`)) },
  { weight: 2, arbitrary: fc.constantFrom(NEXT, `${BASE}/runtime/init/error`, `${BASE}/flint/specialize`, `${BASE}/flint/specialize?format=env0`, `${BASE}/flint/specialize?format=x`, `${BASE}/ping`, `${BASE}/runtime/invocation/`, `${BASE}/runtime/invocation/next/`, `${NEXT}?x=1`, '/', '*', `${BASE}//runtime/invocation/next`, '/2020-01-01/extension/register', '/2020-08-15/logs') },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.constantFrom('runtime', 'invocation', 'next', 'response', 'error', 'init', '2018-06-01', '..', '%', '%2e', ''), fc.string({ maxLength: 8 }).map(rawPath)), { maxLength: 6 }).map((parts) => `/${parts.join('/')}`) },
);

const headerArb: fc.Arbitrary<Record<string, string>> = fc.dictionary(
  fc.constantFrom('content-type', 'lambda-runtime-function-error-type', 'lambda-runtime-function-xray-error-cause', 'lambda-runtime-function-response-mode', 'trailer', 'transfer-encoding', 'content-length', 'expect', 'x'),
  fc.oneof(fc.constantFrom('application/json', 'streaming', 'buffered', 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body', 'chunked', 'gzip', '-1', '0', '100-continue', 'Unhandled', '{"working_directory":"/","exceptions":[],"paths":[]}', '{', ''), fc.string({ maxLength: 30 }).map((s) => s.replace(/[^\x20-\x7e]/g, ''))),
  { maxKeys: 3 },
);

const bodyArb: fc.Arbitrary<string | Buffer | undefined> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.constantFrom('', '{', '{"errorMessage":1,"errorType":{},"stackTrace":"x"}', '{"errorMessage":"m","errorType":"t","stackTrace":["a",1,null]}', 'null', '\u0000', '[]') },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 256 }).map((a) => Buffer.from(a)) },
  { weight: 1, arbitrary: fc.constantFrom(6 * 1024 * 1024 + 101, 1024 * 1024).map(bigBody) },
);

/** `n` bytes of 'a', shown by fast-check as their size (a failure's report stays readable). */
function bigBody(n: number): Buffer {
  return Object.defineProperty(Buffer.alloc(n, 0x61), fc.toStringMethod, { value: () => `<${n} bytes of 'a'>` });
}

const requestArb: fc.Arbitrary<Sent> = fc.record({
  method: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('GET', 'POST') }, { weight: 1, arbitrary: fc.constantFrom('PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH') }),
  path: pathArb,
  headers: headerArb,
  body: bodyArb,
}).map((r) => ({ ...r, body: r.method === 'GET' || r.method === 'HEAD' ? undefined : r.body }));

describe('fuzzing the Runtime API', () => {
  let server: RuntimeApiServer;
  let sessions = 0;
  const requests = { sent: 0, parked: 0 };

  before(() => {
    server = new RuntimeApiServer();
  });
  after(() => server.close());

  /** A session in `stage`, bound to its own loopback port; `done` settles the in-flight invocation's outcome (whatever it is). */
  async function sessionIn(stage: Stage): Promise<{ session: RuntimeSessionHandle; client: RawClient; outcome: Promise<unknown> }> {
    const id = `fz-${++sessions}`;
    const session = server.open(id);
    const address = await server.bind(id, { listenHost: '127.0.0.1' });
    const client = new RawClient(`http://${address}`);
    let outcome: Promise<unknown> = Promise.resolve();
    if (stage === 'started') return { session, client, outcome };
    session.specialize({ env: { A: '1' }, handler: 'index.handler' });
    assert.equal((await client.send({ method: 'GET', path: `${BASE}/flint/specialize`, headers: {} }))?.status, 200);
    if (stage === 'specialized') return { session, client, outcome };
    const next = client.send({ method: 'GET', path: NEXT, headers: {} });
    await session.ready();
    if (stage === 'waiting') {
      void next.catch(() => undefined); // parked until the session closes
      return { session, client, outcome };
    }
    outcome = session.invoke(invocation(LIVE_ID)).catch((err: unknown) => err);
    assert.equal((await next)?.headers['lambda-runtime-aws-request-id'], LIVE_ID);
    if (stage === 'answered') {
      assert.equal((await client.send({ method: 'POST', path: `${BASE}/runtime/invocation/${LIVE_ID}/response`, headers: {}, body: '"ok"' }))?.status, 202);
      await outcome;
    }
    return { session, client, outcome };
  }

  it('answers any sequence of hostile requests in any state with a 4xx at most, and stays up', async () => {
    await checkProperty(
      'Runtime API: request sequences in each session state',
      fc.asyncProperty(fc.constantFrom(...STAGES), fc.array(requestArb, { minLength: 1, maxLength: 4 }), async (stage, sequence) => {
        const { session, client, outcome } = await sessionIn(stage);
        try {
          for (const sent of sequence) {
            requests.sent++;
            // /next parks until an invocation comes, /flint/specialize until the sandbox is specialized (neither will): a short wait
            const parks = sent.method === 'GET' && PARKING.has(sent.path.split('?')[0]!);
            const answer = await client.send(sent, parks ? 300 : 15_000).catch((err: Error) => {
              if (parks && /no answer/.test(err.message)) return undefined;
              throw err;
            });
            if (answer === undefined) {
              if (parks) requests.parked++;
              continue;
            }
            checkAnswer(sent, answer, { json: 'any' });
            assert.ok(answer.status < 500, `a ${answer.status} from the Runtime API: ${sent.method} ${sent.path.slice(0, 200)} -> ${answer.body.toString('utf8', 0, 300)}`);
            // Node's HTTP server answers what it refuses before any route runs (400 a bad Content-Length, 417 an odd Expect) with no body
            const parserRefusal = answer.body.length === 0 && (answer.status === 400 || answer.status === 417);
            if (answer.status >= 400 && sent.method !== 'HEAD' && !parserRefusal) {
              const body = JSON.parse(answer.body.toString('utf8')) as { errorType?: unknown; errorMessage?: unknown };
              assert.equal(typeof body.errorType, 'string', `an error without errorType: ${answer.body.toString('utf8', 0, 300)}`);
            }
          }
        } finally {
          session.close();
          await outcome;
        }
      }),
      { seed: FUZZ_SEED, numRuns: 300 },
    );
    console.log(`# fuzz runs: Runtime API: requests sent: ${requests.sent} (${requests.parked} long polls left parked)`);
  });

  it('afterwards serves a runtime normally: init document, /next, the invocation, its response', async () => {
    const { session, client, outcome } = await sessionIn('inflight');
    const answered = await client.send({ method: 'POST', path: `${BASE}/runtime/invocation/${LIVE_ID}/response`, headers: { 'content-type': 'application/json' }, body: '{"fine":true}' });
    assert.equal(answered?.status, 202);
    const result = (await outcome) as { payload?: Buffer };
    assert.equal(Buffer.from(result.payload ?? []).toString(), '{"fine":true}');
    session.close();
  });
});
