/**
 * Hostile input never crashes Flint (issue 14, item 6), over real HTTP to a real `flint serve`:
 * property-based requests with near-valid and garbage paths, query strings, headers and bodies
 * to every Lambda API route, the CloudWatch Logs targets, function URLs, the cluster, status and
 * console routes, then malformed HTTP on raw sockets. Every answer: no 5xx but the documented
 * service errors, no stack trace or source path, a well-formed body; afterwards the process is
 * alive and a normal invoke works. Seeded (FUZZ_SEED); fast-check prints the seed and the
 * shrunk request of a failure.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { AddPermissionCommand, CreateFunctionUrlConfigCommand, PublishVersionCommand, CreateAliasCommand } from '@aws-sdk/client-lambda';
import fc from 'fast-check';
import { removeDataDir, startFlintProcess, type FlintProcess } from '../helpers/flint-process.ts';
import { SKIP_WITHOUT_SANDBOXES } from '../sandbox/sandbox-fixture.ts';
import { deploy, invoke } from '../e2e/invoke-support.ts';
import { bodyArb, checkAnswer, checkProperty, FUZZ_SEED, headersArb, labelArb, METHODS, queryArb, RawClient, rawPath, type Expectation, type Sent } from './fuzz-support.ts';

const HANDLER = [{ name: 'index.js', content: 'exports.handler = async () => ({ statusCode: 200, body: "ok" });' }];
const VICTIM = 'fz-victim';

/** Every route template: Lambda 2015-03-31 (and the operations Flint refuses), Flint's own, the cluster's and the console's. */
const LAMBDA_ROUTES = [
  'DELETE /2015-03-31/event-source-mappings/{UUID}', 'DELETE /2015-03-31/functions/{F}/aliases/{Name}', 'DELETE /2015-03-31/functions/{F}/policy/{Sid}',
  'DELETE /2015-03-31/functions/{F}', 'DELETE /2017-03-31/tags/{ARN}', 'DELETE /2017-10-31/functions/{F}/concurrency',
  'DELETE /2018-10-31/layers/{L}/versions/{N}/policy/{Sid}', 'DELETE /2018-10-31/layers/{L}/versions/{N}', 'DELETE /2019-09-25/functions/{F}/event-invoke-config',
  'DELETE /2019-09-30/functions/{F}/provisioned-concurrency', 'DELETE /2020-04-22/code-signing-configs/{ARN}', 'DELETE /2020-06-30/functions/{F}/code-signing-config',
  'DELETE /2021-10-31/functions/{F}/url', 'GET /2015-03-31/event-source-mappings/', 'GET /2015-03-31/event-source-mappings/{UUID}', 'GET /2015-03-31/functions/',
  'GET /2015-03-31/functions/{F}/aliases/{Name}', 'GET /2015-03-31/functions/{F}/aliases', 'GET /2015-03-31/functions/{F}/configuration',
  'GET /2015-03-31/functions/{F}/policy', 'GET /2015-03-31/functions/{F}/versions', 'GET /2015-03-31/functions/{F}', 'GET /2016-08-19/account-settings/',
  'GET /2017-03-31/tags/{ARN}', 'GET /2018-10-31/layers/{L}/versions/{N}/policy', 'GET /2018-10-31/layers/{L}/versions/{N}', 'GET /2018-10-31/layers/{L}/versions',
  'GET /2018-10-31/layers', 'GET /2019-09-25/functions/{F}/event-invoke-config/list', 'GET /2019-09-25/functions/{F}/event-invoke-config',
  'GET /2019-09-30/functions/{F}/concurrency', 'GET /2019-09-30/functions/{F}/provisioned-concurrency', 'GET /2020-04-22/code-signing-configs/',
  'GET /2020-06-30/functions/{F}/code-signing-config', 'GET /2021-10-31/functions/{F}/url', 'GET /2021-10-31/functions/{F}/urls',
  'POST /2014-11-13/functions/{F}/invoke-async/', 'POST /2015-03-31/event-source-mappings/', 'POST /2015-03-31/functions/{F}/aliases',
  'POST /2015-03-31/functions/{F}/invocations', 'POST /2021-11-15/functions/{F}/response-streaming-invocations', 'POST /2015-03-31/functions/{F}/policy',
  'POST /2015-03-31/functions/{F}/versions', 'POST /2015-03-31/functions', 'POST /2017-03-31/tags/{ARN}', 'POST /2018-10-31/layers/{L}/versions',
  'POST /2019-09-25/functions/{F}/event-invoke-config', 'POST /2020-04-22/code-signing-configs/', 'POST /2021-10-31/functions/{F}/url',
  'PUT /2015-03-31/event-source-mappings/{UUID}', 'PUT /2015-03-31/functions/{F}/aliases/{Name}', 'PUT /2015-03-31/functions/{F}/code',
  'PUT /2015-03-31/functions/{F}/configuration', 'PUT /2017-10-31/functions/{F}/concurrency', 'PUT /2019-09-25/functions/{F}/event-invoke-config',
  'PUT /2019-09-30/functions/{F}/provisioned-concurrency', 'PUT /2021-10-31/functions/{F}/url', 'GET /flint/code/{Sha}',
];
const FLINT_ROUTES = [
  'GET /flint/status', 'GET /metrics', 'GET /flint/dlq', 'GET /flint/dlq/{Id}', 'POST /flint/dlq/{Id}/redrive', 'POST /flint/dlq/redrive', 'GET /flint/logs/{F}',
  'GET /flint/async/stats', 'POST /flint/cluster/hosts', 'GET /flint/cluster/hosts/{Id}', 'DELETE /flint/cluster/hosts/{Id}', 'POST /flint/cluster/hosts/{Id}/heartbeat',
  'POST /flint/cluster/hosts/{Id}/drain', 'GET /flint/cluster/code/{Sha}', 'POST /flint/cluster/logs', 'POST /flint/cluster/invoke', 'GET /console',
  'GET /console/app/{File}', 'GET /console/vendor/{File}', 'GET /console/api/functions', 'GET /{Any}', 'POST /{Any}/{Any}',
];
const BODY_MEMBERS = [
  'FunctionName', 'Runtime', 'Role', 'Handler', 'Code', 'Description', 'Timeout', 'MemorySize', 'Publish', 'Environment', 'KMSKeyArn', 'Tags', 'Layers',
  'Architectures', 'EphemeralStorage', 'LoggingConfig', 'TracingConfig', 'PackageType', 'ZipFile', 'RevisionId', 'DryRun', 'Name', 'FunctionVersion',
  'RoutingConfig', 'StatementId', 'Action', 'Principal', 'SourceArn', 'FunctionUrlAuthType', 'ReservedConcurrentExecutions', 'ProvisionedConcurrentExecutions',
  'MaximumRetryAttempts', 'MaximumEventAgeInSeconds', 'DestinationConfig', 'AuthType', 'Cors', 'InvokeMode', 'CodeSha256', 'Qualifier', 'Ids',
];
const QUERY_KEYS = ['Qualifier', 'Marker', 'MaxItems', 'FunctionVersion', 'MasterRegion', 'List', 'RevisionId', 'tagKeys', 'find', 'nextToken', 'limit', 'startFromHead'];
const LOG_TARGETS = ['CreateLogGroup', 'DeleteLogGroup', 'DeleteLogStream', 'DeleteRetentionPolicy', 'DescribeLogGroups', 'DescribeLogStreams', 'FilterLogEvents', 'GetLogEvents', 'PutRetentionPolicy', 'PutLogEvents', 'Bogus', ''];
const LOG_MEMBERS = ['logGroupName', 'logGroupIdentifier', 'logStreamName', 'logStreamNamePrefix', 'logGroupNamePrefix', 'filterPattern', 'startTime', 'endTime', 'nextToken', 'limit', 'startFromHead', 'retentionInDays', 'logStreamNames', 'orderBy', 'descending', 'logGroupIdentifiers', 'interleaved', 'unmask'];

describe('fuzzing every route over HTTP', { skip: SKIP_WITHOUT_SANDBOXES }, () => {
  let flint: FlintProcess;
  let http: RawClient;
  let urlId = '';
  const known = [VICTIM, `${VICTIM}:1`, `${VICTIM}:live`, 'nope'];

  before(async () => {
    flint = await startFlintProcess();
    http = new RawClient(flint.endpoint);
    const client = flint.client();
    await deploy(client, HANDLER, { FunctionName: VICTIM, Timeout: 3 });
    await client.send(new PublishVersionCommand({ FunctionName: VICTIM }));
    await client.send(new CreateAliasCommand({ FunctionName: VICTIM, Name: 'live', FunctionVersion: '1' }));
    await deploy(client, HANDLER, { FunctionName: 'fz-url', Timeout: 30, MemorySize: 1769 }); // a full CPU: a 1 MB event is read well within the timeout
    const created = await client.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'fz-url', AuthType: 'NONE' }));
    await client.send(new AddPermissionCommand({ FunctionName: 'fz-url', StatementId: 'a', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }));
    await client.send(new AddPermissionCommand({ FunctionName: 'fz-url', StatementId: 'b', Action: 'lambda:InvokeFunction', Principal: '*', InvokedViaFunctionUrl: true }));
    urlId = new URL(created.FunctionUrl!).hostname.split('.')[0]!;
  });
  after(async () => {
    http?.close();
    if (!flint) return;
    await flint.stop();
    removeDataDir(flint.dataDir);
  });

  /** A request for a route template: its labels filled, a query string, headers and a body; sometimes another method. */
  const requestArb = (routes: readonly string[], labels: fc.Arbitrary<string>): fc.Arbitrary<Sent> =>
    fc.record({
      route: fc.constantFrom(...routes),
      method: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
      fill: fc.array(labels, { minLength: 4, maxLength: 4 }),
      query: queryArb(QUERY_KEYS),
      headers: headersArb(),
      body: bodyArb(BODY_MEMBERS),
      slash: fc.constantFrom('', '', '/', '//'),
    }).map(({ route, method, fill, query, headers, body, slash }) => {
      const [m, template] = route.split(' ') as [string, string];
      let i = 0;
      const path = template.replace(/\{\w+\}/g, () => fill[i++ % fill.length]!);
      const verb = method ?? m;
      return { method: verb, path: `${path}${slash}${query}`, headers, body: verb === 'GET' || verb === 'HEAD' ? undefined : body };
    });

  const fuzz = async (name: string, arb: fc.Arbitrary<Sent>, expect: Expectation, numRuns: number): Promise<void> => {
    await checkProperty(
      name,
      fc.asyncProperty(arb, async (sent) => {
        const answer = await http.send(sent);
        if (answer !== undefined) checkAnswer(sent, answer, expect);
      }),
      { seed: FUZZ_SEED, numRuns, endOnFailure: false, interruptAfterTimeLimit: 60_000 },
    );
  };

  it('the Lambda API routes', () => fuzz('HTTP: the Lambda API routes', requestArb(LAMBDA_ROUTES, labelArb(known)), { json: 'lambda' }, 900));

  it("Flint's own, the cluster's and the console's routes", () => fuzz("HTTP: Flint's own, the cluster's and the console's routes", requestArb(FLINT_ROUTES, labelArb(['fz-victim', 'h-1', 'a'.repeat(64), 'app.js', 'index.html'])), { json: 'any' }, 400));

  it('the CloudWatch Logs targets', () =>
    fuzz(
      'HTTP: the CloudWatch Logs targets',
      fc.record({
        target: fc.oneof(fc.constantFrom(...LOG_TARGETS).map((t) => `Logs_20140328.${t}`), fc.string({ maxLength: 30 })),
        headers: headersArb(),
        body: bodyArb(LOG_MEMBERS),
        group: fc.constantFrom('/aws/lambda/fz-victim', '/aws/lambda/nope', '', 'x'.repeat(600), '*'),
      }).map(({ target, headers, body, group }) => ({
        method: 'POST',
        path: '/',
        headers: { 'content-type': 'application/x-amz-json-1.1', ...headers, 'x-amz-target': target },
        body: body ?? JSON.stringify({ logGroupName: group, logGroupIdentifier: group }),
      })),
      { json: 'logs' }, // a target without the Logs prefix is no Logs operation: Lambda's UnknownOperationException
      400,
    ));

  it('function URLs, by path and by Host', () =>
    fuzz(
      'HTTP: function URLs, by path and by Host',
      fc.record({
        id: fc.oneof(fc.constant(urlId), fc.constant(urlId.toUpperCase()), labelArb(['x'])),
        byHost: fc.boolean(),
        rest: fc.array(fc.string({ maxLength: 8 }).map(rawPath), { maxLength: 4 }),
        method: fc.constantFrom(...METHODS, 'PROPFIND'),
        query: queryArb(['a', 'b', '']),
        headers: headersArb({ origin: ['http://x', 'null', ''], 'access-control-request-method': ['GET', 'x'], cookie: ['a=b', ';;;', '='] }),
        body: bodyArb(['a']),
      }).map(({ id, byHost, rest, method, query, headers, body }) => {
        const tail = rest.map((s) => `/${s}`).join('');
        return byHost
          ? { method, path: `${tail || '/'}${query}`, headers: { ...headers, host: `${id}.lambda-url.us-east-1.localhost` }, body }
          : { method, path: `/lambda-url/${id}${tail}${query}`, headers: { ...headers, host: 'localhost' }, body };
      }),
      { json: undefined },
      250,
    ));

  it('malformed HTTP on raw sockets: an answer of 4xx at most, or the connection closed', async () => {
    const port = Number(new URL(flint.endpoint).port);
    const requestLine = fc.oneof(
      fc.constantFrom('GET / HTTP/1.1', 'GET /2015-03-31/functions/ HTTP/1.1', 'POST / HTTP/1.1', 'GET  HTTP/1.1', 'GET / HTTP/9.9', 'GET /', '\u0000\u0001', 'GET /%%%% HTTP/1.1', `GET /${'a'.repeat(20_000)} HTTP/1.1`, 'BREW /pot HTCPCP/1.0', 'GET http://x/ HTTP/1.1', 'CONNECT localhost:1 HTTP/1.1'),
      fc.string({ maxLength: 40 }),
    );
    const headerLines = fc.array(
      fc.oneof(
        fc.constantFrom('Host: localhost', 'Content-Length: 5', 'Content-Length: -1', 'Content-Length: 1, 2', 'Content-Length: abc', 'Transfer-Encoding: chunked', 'Transfer-Encoding: gzip, chunked', 'Content-Type: application/json', 'X-Amz-Target: Logs_20140328.DescribeLogGroups', ' folded: line', 'NoColon', `X-Big: ${'b'.repeat(20_000)}`, 'Bad Name: x', 'Expect: 100-continue', 'Connection: upgrade', 'Upgrade: websocket'),
        fc.string({ maxLength: 30 }),
      ),
      { maxLength: 6 },
    );
    const seen = { answered: 0, refused: 0 };
    const body = fc.oneof(fc.constant(''), fc.constantFrom('{}', '5\r\nhello\r\n0\r\n\r\n', 'zz\r\nhello\r\n', '0\r\n\r\n', '{"a":'), fc.string({ maxLength: 40 }));
    await checkProperty(
      'HTTP: malformed requests on raw sockets',
      fc.asyncProperty(requestLine, headerLines, body, fc.constantFrom('\r\n', '\n'), async (line, headers, payload, eol) => {
        const raw = `${line}${eol}${headers.join(eol)}${headers.length > 0 ? eol : ''}${eol}${payload}`;
        const reply = await rawExchange(port, raw);
        const status = /^HTTP\/1\.[01] (\d{3})/.exec(reply)?.[1];
        if (status === undefined) seen.refused++;
        else seen.answered++;
        if (status !== undefined) {
          assert.ok(Number(status) < 500, `${JSON.stringify(raw.slice(0, 200))} -> ${reply.slice(0, 300)}`);
          assert.ok(!/\n\s+at \S|\/work\/|node_modules|\.ts:\d+/.test(reply), `internals in ${reply.slice(0, 500)}`);
        }
      }),
      { seed: FUZZ_SEED, numRuns: 200 },
    );
    assert.ok(seen.answered > 50, `the raw requests reached the server: ${JSON.stringify(seen)}`);
  });

  it('afterwards the process is alive, logged no unhandled error, and a normal invoke works', async () => {
    assert.equal(flint.child.exitCode, null, 'flint exited');
    assert.equal(flint.child.signalCode, null, 'flint was killed');
    const client = flint.client();
    const fresh = await deploy(client, HANDLER);
    assert.deepEqual((await invoke(client, fresh.name)).json, { statusCode: 200, body: 'ok' });
    assert.ok(!/unhandled error|uncaught/i.test(flint.logs()), `Flint logged an unhandled error:\n${flint.logs().split('\n').filter((l) => /unhandled|uncaught/i.test(l)).slice(0, 5).join('\n')}`);
  });
});

/** Writes `raw` on a new connection and reads what comes back until the server closes or 2 s of silence. */
function rawExchange(port: number, raw: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    const done = (): void => {
      socket.destroy();
      resolve(got);
    };
    socket.setTimeout(2_000, done);
    socket.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      // one answer is enough: a complete head (and its body, when small) tells the property
      if (/\r\n\r\n/.test(got)) setTimeout(done, 20);
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.write(raw, 'latin1');
    socket.end();
  });
}
