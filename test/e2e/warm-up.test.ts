/**
 * The invoke path's warm-up before the API listens (frontend/warm-up.ts): a function of Flint's
 * own runs through the invoke path, and nothing of it is visible through the APIs once Flint
 * listens: no function, log group, package, sandbox, metric or count. The rest of the suite runs
 * with FLINT_WARM_UP_INVOKES=0 (scripts/test.sh); these tests turn it on.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetAccountSettingsCommand, InvokeCommand, LambdaClient, LambdaServiceException, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { useFlint, type FlintProcess } from '../helpers/flint-process.ts';
import { deploy, invoke } from './invoke-support.ts';
import { blobFiles } from './lambda-support.ts';

const WARM_UPS = 150;
const ROOT_KEY = { accessKeyId: 'AKIAFLINTWARMUPTEST1', secretAccessKey: 'root-secret-for-the-warm-up-e2e-test-01' };

/** The server's JSON log lines with this message. */
function logLines(flint: FlintProcess, msg: string): Array<Record<string, unknown>> {
  return flint
    .logs()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l['msg'] === msg);
}

/** Everything a user could see of a function of Flint's own, checked through the APIs and the data directory. */
async function assertNothingLeft(flint: FlintProcess, lambda: LambdaClient, credentials: { accessKeyId: string; secretAccessKey: string }): Promise<void> {
  assert.deepEqual((await lambda.send(new ListFunctionsCommand({}))).Functions, []);
  const usage = (await lambda.send(new GetAccountSettingsCommand({}))).AccountUsage;
  assert.equal(usage?.FunctionCount, 0);
  assert.equal(usage?.TotalCodeSize, 0);
  const logs = new CloudWatchLogsClient({ endpoint: flint.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  try {
    assert.deepEqual((await logs.send(new DescribeLogGroupsCommand({}))).logGroups, []);
  } finally {
    logs.destroy();
  }
  assert.deepEqual(blobFiles(flint.dataDir), [], 'no package left in the code store');
  const err = await lambda.send(new InvokeCommand({ FunctionName: 'flint.warm-up', Payload: Buffer.from('{}') })).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof LambdaServiceException, `invoking Flint's own function after the start: ${String(err)}`);
  assert.ok(err.$metadata.httpStatusCode === 400 || err.$metadata.httpStatusCode === 404, `${err.name} ${err.$metadata.httpStatusCode}`);
}

describe('the invoke path warm-up (no authentication: through the API)', () => {
  const server = useFlint({ env: { FLINT_WARM_UP_INVOKES: String(WARM_UPS) } });

  it('runs its invokes through the API before Flint listens', () => {
    const [warmed] = logLines(server.flint, 'invoke path warmed up');
    assert.ok(warmed !== undefined, server.flint.logs());
    assert.equal(warmed['invokes'], WARM_UPS);
    assert.equal(warmed['through'], 'api');
    assert.equal(logLines(server.flint, 'the invoke path warm-up stopped early; Flint starts without it').length, 0);
  });

  it('leaves no function, package, log group, sandbox or metric behind', async () => {
    await assertNothingLeft(server.flint, server.client, { accessKeyId: 'a', secretAccessKey: 'b' });
    const status = (await (await fetch(`${server.flint.endpoint}/flint/status`)).json()) as { sandboxes: unknown[]; concurrency: { inUse: number } };
    assert.deepEqual(status.sandboxes, []);
    assert.equal(status.concurrency.inUse, 0);
    const metrics = await (await fetch(`${server.flint.endpoint}/metrics`)).text();
    assert.doesNotMatch(metrics, /warm-up/);
  });

  it("serves a user's function at once", async () => {
    const fn = await deploy(server.client, [{ name: 'index.js', content: 'exports.handler = async (e) => ({ got: e.n });' }], { Runtime: 'nodejs24.x' });
    const r = await invoke(server.client, fn.name, { n: 7 });
    assert.equal(r.functionError, undefined, r.text);
    assert.deepEqual(r.json, { got: 7 });
  });
});

describe('the invoke path warm-up with --auth sigv4 and a root credential (through the API, signed)', () => {
  const server = useFlint({
    args: ['--auth', 'sigv4'],
    env: { FLINT_WARM_UP_INVOKES: String(WARM_UPS), FLINT_ROOT_ACCESS_KEY_ID: ROOT_KEY.accessKeyId, FLINT_ROOT_SECRET_ACCESS_KEY: ROOT_KEY.secretAccessKey },
  });

  it('runs its invokes and leaves nothing behind', async () => {
    const [warmed] = logLines(server.flint, 'invoke path warmed up');
    assert.ok(warmed !== undefined, server.flint.logs());
    assert.equal(warmed['invokes'], WARM_UPS);
    assert.equal(warmed['through'], 'api, signed');
    const lambda = new LambdaClient({ endpoint: server.flint.endpoint, region: 'us-east-1', credentials: ROOT_KEY, maxAttempts: 1 });
    try {
      await assertNothingLeft(server.flint, lambda, ROOT_KEY);
    } finally {
      lambda.destroy();
    }
  });
});

describe('the invoke path warm-up with --auth sigv4 and no root credential (straight to the invoke service)', () => {
  const server = useFlint({ args: ['--auth', 'sigv4'], env: { FLINT_WARM_UP_INVOKES: String(WARM_UPS) } });

  it('runs its invokes without a key to sign them with', async () => {
    const [warmed] = logLines(server.flint, 'invoke path warmed up');
    assert.ok(warmed !== undefined, server.flint.logs());
    assert.equal(warmed['invokes'], WARM_UPS);
    assert.equal(warmed['through'], 'invoke service');
    assert.deepEqual(blobFiles(server.flint.dataDir), [], 'no package left in the code store');
    // nobody can sign for this server, so the rest is seen from outside: no sandbox, no count
    const status = await fetch(`${server.flint.endpoint}/flint/status`);
    assert.equal(status.status, 403);
  });
});

describe('an invoke path warm-up that cannot run', () => {
  // its function asks for 1024 MB; a host with 512 cannot place it
  const server = useFlint({ args: ['--host-memory-budget-mb', '512'], env: { FLINT_WARM_UP_INVOKES: String(WARM_UPS) } });

  it('is logged, and Flint starts and serves without it', async () => {
    const [stopped] = logLines(server.flint, 'the invoke path warm-up stopped early; Flint starts without it');
    assert.ok(stopped !== undefined, server.flint.logs());
    assert.equal(stopped['invokes'], 0);
    assert.equal(logLines(server.flint, 'invoke path warmed up').length, 0);
    await assertNothingLeft(server.flint, server.client, { accessKeyId: 'a', secretAccessKey: 'b' });
    const fn = await deploy(server.client, [{ name: 'index.js', content: 'exports.handler = async () => "up";' }], { Runtime: 'nodejs24.x', MemorySize: 128 });
    const r = await invoke(server.client, fn.name);
    assert.equal(r.functionError, undefined, r.text);
    assert.equal(r.json, 'up');
  });
});
