/**
 * --auth sigv4 end to end, through the official clients: the root credential of FLINT_ROOT_*, a
 * second account's key made with `flint credentials create`, AWS's answers for a wrong secret, an
 * unknown key and a missing signature, cross-account access opened by AddPermission, the AWS CLI,
 * the CloudWatch Logs API, a presigned URL, and the refusal to listen on 0.0.0.0 without --auth.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { AddPermissionCommand, CreateFunctionUrlConfigCommand, DeleteFunctionCommand, GetFunctionCommand, InvokeCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { AccessDeniedException, CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateQueueCommand, ListQueuesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../src/auth/node-sha256.ts';
import { removeDataDir, startFlintProcess, type FlintProcess } from '../helpers/flint-process.ts';
import { deploy, invoke } from './invoke-support.ts';
import { createSettledFunction, REGION, rejectsWith, uniqueName } from './lambda-support.ts';
import { queueName, rejectsWithSqs } from './sqs-support.ts';

const ROOT_DIR = resolve(import.meta.dirname, '..', '..');
const ROOT_KEY = { accessKeyId: 'AKIAFLINTROOTTEST001', secretAccessKey: 'root-secret-for-the-auth-e2e-test-000001' };
const run = promisify(execFile);

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const SIGNATURE_MISMATCH = /^The request signature we calculated does not match the signature you provided/;
const INVALID_TOKEN = 'The security token included in the request is invalid.';

/** Polls `done` until it holds (fails after 60 s: the condition never came). */
async function waitFor(done: () => Promise<boolean>): Promise<void> {
  for (const end = Date.now() + 60_000; !(await done()); ) {
    assert.ok(Date.now() < end, 'the condition never held');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function flintCli(args: readonly string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [join(ROOT_DIR, 'bin', 'flint.mjs'), ...args], { cwd: ROOT_DIR });
  return stdout;
}

describe('--auth sigv4', () => {
  let flint: FlintProcess;
  let other: Creds;
  const clients: Array<{ destroy(): void }> = [];
  const lambda = (credentials: Creds): LambdaClient => {
    const c = new LambdaClient({ endpoint: flint.endpoint, region: REGION, credentials, maxAttempts: 1 });
    clients.push(c);
    return c;
  };
  const sqs = (credentials: Creds): SQSClient => {
    const c = new SQSClient({ endpoint: flint.endpoint, region: REGION, credentials, maxAttempts: 1 });
    clients.push(c);
    return c;
  };
  /** A query-protocol form (what the AWS CLI v1 and older SDKs send), signed for `sqs` by `credentials` (or unsigned), posted to `path`. */
  const postForm = async (path: string, form: Record<string, string>, credentials: Creds | undefined): Promise<{ status: number; text: string }> => {
    const target = new URL(`${flint.endpoint}${path}`);
    const body = new URLSearchParams(form).toString();
    let headers: Record<string, string> = { host: target.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
    if (credentials !== undefined) {
      const signer = new SignatureV4({ credentials, region: REGION, service: 'sqs', sha256: NodeSha256 });
      headers = (await signer.sign({ method: 'POST', protocol: 'http:', hostname: target.host, path: target.pathname, headers, query: {}, body })).headers;
    }
    const res = await fetch(target, { method: 'POST', headers, body });
    return { status: res.status, text: await res.text() };
  };
  /** Whether `flint status` (signed by the root key) still lists a sandbox of `name`. */
  const sandboxesOf = async (name: string): Promise<boolean> => {
    const target = new URL(`${flint.endpoint}/flint/status`);
    const signer = new SignatureV4({ credentials: ROOT_KEY, region: REGION, service: 'lambda', sha256: NodeSha256 });
    const signed = await signer.sign({ method: 'GET', protocol: 'http:', hostname: target.host, path: target.pathname, headers: { host: target.host }, query: {} });
    const res = await fetch(target, { headers: signed.headers });
    assert.equal(res.status, 200);
    return ((await res.json()) as { sandboxes: Array<{ function: string }> }).sandboxes.some((s) => s.function === name);
  };
  const logs = (credentials: Creds): CloudWatchLogsClient => {
    const c = new CloudWatchLogsClient({ endpoint: flint.endpoint, region: REGION, credentials, maxAttempts: 1 });
    clients.push(c);
    return c;
  };

  before(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'flint-auth-'));
    const created = await flintCli(['credentials', 'create', '--name', 'bob', '--account-id', '111111111111', '--data-dir', dataDir]);
    other = { accessKeyId: /AWS_ACCESS_KEY_ID=(\S+)/.exec(created)![1]!, secretAccessKey: /AWS_SECRET_ACCESS_KEY=(\S+)/.exec(created)![1]! };
    flint = await startFlintProcess({ dataDir, args: ['--auth', 'sigv4'], env: { FLINT_ROOT_ACCESS_KEY_ID: ROOT_KEY.accessKeyId, FLINT_ROOT_SECRET_ACCESS_KEY: ROOT_KEY.secretAccessKey } });
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await flint?.stop();
    if (flint) removeDataDir(flint.dataDir);
  });

  it('says so on its start line, and lists the created key without its secret', async () => {
    assert.match(flint.output(), /Authentication: AWS Signature Version 4 \(root access key AKIAFLINTROOTTEST001\)/);
    const listed = await flintCli(['credentials', 'list', '--data-dir', flint.dataDir]);
    assert.match(listed, new RegExp(`${other.accessKeyId}\\s+111111111111\\s+\\S+\\s+bob`));
    assert.doesNotMatch(listed, new RegExp(other.secretAccessKey.replace(/[+/]/g, '.')));
  });

  it('serves the root credential, and refuses a wrong secret, an unknown key, an expired date and no signature with AWS\'s errors', async () => {
    const name = uniqueName('auth');
    await createSettledFunction(lambda(ROOT_KEY), name);
    const invoked = await lambda(ROOT_KEY).send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{}') }));
    assert.equal(invoked.StatusCode, 200);
    await rejectsWith(lambda({ ...ROOT_KEY, secretAccessKey: 'wrong' }).send(new ListFunctionsCommand({})), 'InvalidSignatureException', 403, /^The request signature we calculated does not match the signature you provided/);
    await rejectsWith(lambda({ accessKeyId: 'AKIANOBODYNOBODY0001', secretAccessKey: 'x' }).send(new ListFunctionsCommand({})), 'UnrecognizedClientException', 403, 'The security token included in the request is invalid.');
    const late = new LambdaClient({ endpoint: flint.endpoint, region: REGION, credentials: ROOT_KEY, maxAttempts: 1, systemClockOffset: -20 * 60 * 1000 });
    clients.push(late);
    await rejectsWith(late.send(new ListFunctionsCommand({})), 'InvalidSignatureException', 403, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z/);
    const unsigned = await fetch(`${flint.endpoint}/2015-03-31/functions/`);
    assert.equal(unsigned.status, 403);
    assert.equal(unsigned.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
  });

  it('denies another account until a resource-based policy allows the action for it', async () => {
    const name = uniqueName('shared');
    await createSettledFunction(lambda(ROOT_KEY), name);
    const message = `User: arn:aws:iam::111111111111:user/bob is not authorized to perform: lambda:GetFunction on resource: arn:aws:lambda:${REGION}:000000000000:function:${name} because no resource-based policy allows the lambda:GetFunction action`;
    await rejectsWith(lambda(other).send(new GetFunctionCommand({ FunctionName: name })), 'AccessDeniedException', 403, message);
    await rejectsWith(lambda(other).send(new ListFunctionsCommand({})), 'AccessDeniedException', 403, /on resource: arn:aws:lambda:us-east-1:000000000000:function:\*$/);
    await lambda(ROOT_KEY).send(new AddPermissionCommand({ FunctionName: name, StatementId: 'bob-reads', Action: 'lambda:GetFunction', Principal: '111111111111' }));
    assert.equal((await lambda(other).send(new GetFunctionCommand({ FunctionName: name }))).Configuration?.FunctionName, name);
    await rejectsWith(lambda(other).send(new InvokeCommand({ FunctionName: name })), 'AccessDeniedException', 403, /lambda:InvokeFunction/);
    await lambda(ROOT_KEY).send(new AddPermissionCommand({ FunctionName: name, StatementId: 'bob-invokes', Action: 'lambda:InvokeFunction', Principal: 'arn:aws:iam::111111111111:root' }));
    assert.equal((await lambda(other).send(new InvokeCommand({ FunctionName: name }))).StatusCode, 200);
  });

  it('verifies the CloudWatch Logs API too', async () => {
    const groups = await logs(ROOT_KEY).send(new DescribeLogGroupsCommand({}));
    assert.ok(Array.isArray(groups.logGroups));
    await assert.rejects(logs({ ...ROOT_KEY, secretAccessKey: 'wrong' }).send(new DescribeLogGroupsCommand({})), (err: Error) => err.name === 'InvalidSignatureException');
    await assert.rejects(logs(other).send(new DescribeLogGroupsCommand({})), (err: unknown) => err instanceof AccessDeniedException);
  });

  it('accepts a presigned URL', async () => {
    const name = uniqueName('presigned');
    await createSettledFunction(lambda(ROOT_KEY), name);
    const url = new URL(`${flint.endpoint}/2015-03-31/functions/${name}`);
    const signer = new SignatureV4({ credentials: ROOT_KEY, region: REGION, service: 'lambda', sha256: NodeSha256 });
    const signed = await signer.presign({ method: 'GET', protocol: 'http:', hostname: url.host, path: url.pathname, headers: { host: url.host }, query: {} }, { expiresIn: 300 });
    const query = new URLSearchParams(signed.query as Record<string, string>).toString();
    const res = await fetch(`${flint.endpoint}${url.pathname}?${query}`);
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(((await res.json()) as { Configuration: { FunctionName: string } }).Configuration.FunctionName, name);
    const tampered = await fetch(`${flint.endpoint}${url.pathname}?${query.replace(/X-Amz-Expires=300/, 'X-Amz-Expires=600')}`);
    assert.equal(tampered.status, 403);
  });

  it('gives each sandbox its own execution-role credentials, which Flint accepts as that role and refuses when tampered with', async () => {
    const callee = await deploy(lambda(ROOT_KEY), [{ name: 'index.js', content: 'exports.handler = async (e) => ({ doubled: e.n * 2 });' }]);
    const caller = await deploy(
      lambda(ROOT_KEY),
      [{ name: 'index.js', content: `const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda');
        const env = process.env;
        const call = async (credentials) => {
          const lambda = new LambdaClient({ credentials, maxAttempts: 1 });
          try {
            const r = await lambda.send(new InvokeCommand({ FunctionName: '${callee.name}', Payload: JSON.stringify({ n: 21 }) }));
            return JSON.parse(Buffer.from(r.Payload).toString());
          } catch (err) { return { error: err.name }; }
        };
        exports.handler = async () => ({
          keyId: env.AWS_ACCESS_KEY_ID,
          own: await call({ accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN }),
          wrongSecret: await call({ accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY + 'x', sessionToken: env.AWS_SESSION_TOKEN }),
          wrongToken: await call({ accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: 'forged' + env.AWS_SESSION_TOKEN }),
          noToken: await call({ accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY }),
        });` }],
      { Timeout: 20, MemorySize: 512 },
    );
    const r = await invoke(lambda(ROOT_KEY), caller.name);
    assert.equal(r.functionError, undefined, r.text);
    assert.match(r.json.keyId, /^ASIA[A-Z2-7]{16}$/);
    assert.deepEqual(r.json.own, { doubled: 42 });
    assert.deepEqual(r.json.wrongSecret, { error: 'InvalidSignatureException' });
    assert.deepEqual(r.json.wrongToken, { error: 'UnrecognizedClientException' });
    assert.deepEqual(r.json.noToken, { error: 'UnrecognizedClientException' });
  });

  it('verifies the SQS API (JSON protocol) with SQS\'s answers: a good key, a wrong secret, an unknown key, an expired date, another account', async () => {
    const name = queueName('auth');
    const { QueueUrl } = await sqs(ROOT_KEY).send(new CreateQueueCommand({ QueueName: name }));
    await sqs(ROOT_KEY).send(new SendMessageCommand({ QueueUrl, MessageBody: 'signed' }));
    const received = await sqs(ROOT_KEY).send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
    assert.equal(received.Messages?.[0]?.Body, 'signed');
    await rejectsWithSqs(sqs({ ...ROOT_KEY, secretAccessKey: 'wrong' }).send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' })), 'SignatureDoesNotMatch', SIGNATURE_MISMATCH);
    await rejectsWithSqs(sqs({ accessKeyId: 'AKIANOBODYNOBODY0001', secretAccessKey: 'x' }).send(new ListQueuesCommand({})), 'InvalidClientTokenId', INVALID_TOKEN);
    const late = new SQSClient({ endpoint: flint.endpoint, region: REGION, credentials: ROOT_KEY, maxAttempts: 1, systemClockOffset: -20 * 60 * 1000 });
    clients.push(late);
    await rejectsWithSqs(late.send(new ListQueuesCommand({})), 'SignatureDoesNotMatch', /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z/);
    await rejectsWithSqs(sqs(other).send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' })), 'AccessDenied', `User: arn:aws:iam::111111111111:user/bob is not authorized to perform: sqs:SendMessage on resource: arn:aws:sqs:${REGION}:000000000000:*`);
    await rejectsWithSqs(sqs(other).send(new ListQueuesCommand({})), 'AccessDenied', /^User: arn:aws:iam::111111111111:user\/bob is not authorized to perform: sqs:ListQueues/);
    const lambdaScoped = await fetch(`${flint.endpoint}/`, { method: 'POST', headers: { 'x-amz-target': 'AmazonSQS.ListQueues', 'content-type': 'application/x-amz-json-1.0' }, body: '{}' });
    assert.equal(lambdaScoped.status, 403);
    assert.equal(lambdaScoped.headers.get('x-amzn-query-error'), 'MissingAuthenticationToken;Sender');
    assert.equal(((await lambdaScoped.json()) as { __type: string }).__type, 'com.amazon.coral.service#MissingAuthenticationToken');
  });

  it('verifies SQS\'s query protocol on / and on a queue\'s URL, answering in its XML', async () => {
    const name = queueName('auth-query');
    const { QueueUrl } = await sqs(ROOT_KEY).send(new CreateQueueCommand({ QueueName: name }));
    const queuePath = new URL(QueueUrl!).pathname;
    assert.equal(queuePath, `/000000000000/${name}`);
    const send = { Action: 'SendMessage', Version: '2012-11-05', MessageBody: 'by form' };
    for (const [path, form] of [[queuePath, send], ['/', { ...send, QueueUrl: QueueUrl! }]] as const) {
      const ok = await postForm(path, form, ROOT_KEY);
      assert.equal(ok.status, 200, ok.text);
      assert.match(ok.text, /<SendMessageResponse[^>]*><SendMessageResult><MessageId>[0-9a-f-]{36}<\/MessageId>/);
      const wrong = await postForm(path, form, { ...ROOT_KEY, secretAccessKey: 'wrong' });
      assert.equal(wrong.status, 403);
      assert.match(wrong.text, /<ErrorResponse[^>]*><Error><Type>Sender<\/Type><Code>SignatureDoesNotMatch<\/Code><Message>The request signature we calculated does not match/);
      const unknown = await postForm(path, form, { accessKeyId: 'AKIANOBODYNOBODY0001', secretAccessKey: 'x' });
      assert.equal(unknown.status, 403);
      assert.match(unknown.text, /<Code>InvalidClientTokenId<\/Code><Message>The security token included in the request is invalid.<\/Message>/);
      const denied = await postForm(path, form, other);
      assert.equal(denied.status, 403);
      assert.match(denied.text, /<Code>AccessDenied<\/Code><Message>User: arn:aws:iam::111111111111:user\/bob is not authorized to perform: sqs:SendMessage/);
      const unsigned = await postForm(path, form, undefined);
      assert.equal(unsigned.status, 403);
      assert.match(unsigned.text, /<Code>MissingAuthenticationToken<\/Code>/);
    }
    const got = await sqs(ROOT_KEY).send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    assert.deepEqual(got.Messages?.map((m) => m.Body), ['by form', 'by form'], 'only the two signed sends were queued');
  });

  it('refuses a sandbox\'s credentials once the sandbox is gone, and lets a function send to a queue as its role', async () => {
    const { QueueUrl } = await sqs(ROOT_KEY).send(new CreateQueueCommand({ QueueName: queueName('from-fn') }));
    const fn = await deploy(
      lambda(ROOT_KEY),
      [{ name: 'index.js', content: `const { createHash, createHmac } = require('node:crypto');
        const { SignatureV4 } = require('@smithy/signature-v4');
        class Sha256 {
          constructor(secret) { this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', secret); }
          update(d) { this.h.update(typeof d === 'string' ? Buffer.from(d) : d); }
          digest() { return Promise.resolve(new Uint8Array(this.h.digest())); }
        }
        const env = process.env;
        const send = async (queueUrl, body, secret) => {
          const endpoint = new URL(env.AWS_ENDPOINT_URL_SQS);
          const credentials = { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: secret, sessionToken: env.AWS_SESSION_TOKEN };
          const signer = new SignatureV4({ credentials, region: env.AWS_REGION, service: 'sqs', sha256: Sha256 });
          const payload = JSON.stringify({ QueueUrl: queueUrl, MessageBody: body });
          const signed = await signer.sign({ method: 'POST', protocol: endpoint.protocol, hostname: endpoint.host, path: '/', query: {},
            headers: { host: endpoint.host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' }, body: payload });
          const res = await fetch(new URL('/', endpoint), { method: 'POST', headers: signed.headers, body: payload });
          return { status: res.status, error: res.headers.get('x-amzn-query-error') };
        };
        exports.handler = async (event) => ({
          credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN },
          sent: await send(event.queueUrl, 'from ' + env.AWS_LAMBDA_FUNCTION_NAME, env.AWS_SECRET_ACCESS_KEY),
          tampered: await send(event.queueUrl, 'tampered', env.AWS_SECRET_ACCESS_KEY + 'x'),
        });` }],
      { Timeout: 20, MemorySize: 256 },
    );
    const r = await invoke(lambda(ROOT_KEY), fn.name, { queueUrl: QueueUrl });
    assert.equal(r.functionError, undefined, r.text);
    assert.deepEqual(r.json.sent, { status: 200, error: null });
    assert.deepEqual(r.json.tampered, { status: 403, error: 'SignatureDoesNotMatch;Sender' });
    const got = await sqs(ROOT_KEY).send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    assert.deepEqual(got.Messages?.map((m) => m.Body), [`from ${fn.name}`]);

    const roleCreds = r.json.credentials as Creds;
    assert.match(roleCreds.accessKeyId, /^ASIA/);
    // while the sandbox lives, the test process may use them too (the positive control)
    assert.equal((await lambda(roleCreds).send(new GetFunctionCommand({ FunctionName: fn.name }))).Configuration?.FunctionName, fn.name);
    assert.ok(Array.isArray((await sqs(roleCreds).send(new ListQueuesCommand({}))).QueueUrls));
    await lambda(ROOT_KEY).send(new DeleteFunctionCommand({ FunctionName: fn.name }));
    // the sandbox is destroyed in the background after the delete: wait until Flint shows it gone
    await waitFor(async () => !(await sandboxesOf(fn.name)));
    await rejectsWith(lambda(roleCreds).send(new ListFunctionsCommand({})), 'UnrecognizedClientException', 403, INVALID_TOKEN);
    await rejectsWithSqs(sqs(roleCreds).send(new ListQueuesCommand({})), 'InvalidClientTokenId', INVALID_TOKEN);
  });

  it('verifies an AWS_IAM function URL\'s signature, and lets another account call it only when the policy allows it', async () => {
    const name = uniqueName('iam-url');
    await createSettledFunction(lambda(ROOT_KEY), name);
    const url = (await lambda(ROOT_KEY).send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'AWS_IAM' }))).FunctionUrl!;
    const urlId = /^https?:\/\/([a-z0-9]{32})\./.exec(url)![1]!;
    const call = async (credentials: Creds): Promise<number> => {
      const target = new URL(`${flint.endpoint}/lambda-url/${urlId}/hello`);
      const signer = new SignatureV4({ credentials, region: REGION, service: 'lambda', sha256: NodeSha256 });
      const signed = await signer.sign({ method: 'GET', protocol: 'http:', hostname: target.host, path: target.pathname, headers: { host: target.host }, query: {} });
      return (await fetch(target, { headers: signed.headers })).status;
    };
    assert.equal(await call(ROOT_KEY), 200);
    assert.equal(await call({ ...ROOT_KEY, secretAccessKey: 'wrong' }), 403);
    assert.equal((await fetch(`${flint.endpoint}/lambda-url/${urlId}/hello`, { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=x' } })).status, 403);
    assert.equal(await call(other), 403);
    for (const Action of ['lambda:InvokeFunctionUrl', 'lambda:InvokeFunction']) {
      await lambda(ROOT_KEY).send(new AddPermissionCommand({ FunctionName: name, StatementId: Action.replace(':', '-'), Action, Principal: '111111111111', ...(Action === 'lambda:InvokeFunctionUrl' ? { FunctionUrlAuthType: 'AWS_IAM' } : {}) }));
    }
    assert.equal(await call(other), 200);
  });

  it('works with the AWS CLI', async () => {
    const name = uniqueName('cli');
    await createSettledFunction(lambda(ROOT_KEY), name);
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'AWS_SESSION_TOKEN' && k !== 'AWS_PROFILE'));
    const env = { ...inherited, AWS_ACCESS_KEY_ID: ROOT_KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: ROOT_KEY.secretAccessKey, AWS_DEFAULT_REGION: REGION };
    const { stdout } = await run('aws', ['--endpoint-url', flint.endpoint, 'lambda', 'list-functions'], { env });
    assert.ok((JSON.parse(stdout) as { Functions: Array<{ FunctionName: string }> }).Functions.some((f) => f.FunctionName === name));
    await assert.rejects(run('aws', ['--endpoint-url', flint.endpoint, 'lambda', 'list-functions'], { env: { ...env, AWS_SECRET_ACCESS_KEY: 'wrong' } }), (err: { stderr: string }) => /InvalidSignatureException/.test(err.stderr));
  });
});

describe('listening on every address', () => {
  it('refuses to start without --auth', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'flint-auth-refuse-'));
    try {
      const child = spawn(process.execPath, [join(ROOT_DIR, 'bin', 'flint.mjs'), 'serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', dataDir], { cwd: ROOT_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const code = await new Promise<number | null>((r) => child.once('exit', r));
      assert.equal(code, 2);
      assert.match(stderr, /refusing to listen on 0\.0\.0\.0 .*without authentication: give --auth sigv4/);
    } finally {
      removeDataDir(dataDir);
    }
  });
});
