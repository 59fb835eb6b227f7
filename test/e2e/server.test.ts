import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFlintProcess, removeDataDir, lambdaClient, type FlintProcess } from '../helpers/flint-process.ts';
import { deploy, invoke } from './invoke-support.ts';

function get(url: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('flint serve', () => {
  let flint: FlintProcess;
  before(async () => {
    flint = await startFlintProcess();
  });
  after(async () => {
    await flint.stop();
    removeDataDir(flint.dataDir);
  });

  it('answers an unknown path with a Lambda-style error and a request id', async () => {
    const res = await get(`${flint.endpoint}/2015-03-31/nothing-here`);
    assert.equal(res.status, 404);
    assert.equal(res.headers['x-amzn-errortype'], 'UnknownOperationException');
    assert.match(String(res.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
    assert.equal(JSON.parse(res.body).Type, 'User');
  });

  it('stops cleanly on SIGTERM', async () => {
    const other = await startFlintProcess();
    await other.stop();
    assert.equal(other.child.exitCode, 0);
    removeDataDir(other.dataDir);
  });

  for (const [what, graceMs, sleepMs, expected] of [
    ['lets an invocation in flight finish within the shutdown grace', 20_000, 1500, /^answered 200 -$/],
    ['answers an invocation still in flight after the shutdown grace with an error, and exits', 300, 600_000, /^(answered 200 Unhandled|failed: \w+Exception)$/],
  ] as const) {
    it(`on SIGTERM ${what}`, async () => {
      const other = await startFlintProcess({ args: ['--shutdown-grace-ms', String(graceMs)] });
      const client = lambdaClient(other.endpoint);
      try {
        const handler = `exports.handler = () => new Promise((r) => setTimeout(() => r('done'), ${sleepMs}));`;
        const { name } = await deploy(client, [{ name: 'index.js', content: handler }], { Timeout: 900 });
        const inFlight = invoke(client, name).then((r) => `answered ${r.status} ${r.functionError ?? '-'}`, (err: Error) => `failed: ${err.name}`);
        while (!/"busy":[1-9]/.test((await get(`${other.endpoint}/flint/status`)).body)) await sleep(20);
        await other.stop();
        assert.equal(other.child.exitCode, 0);
        assert.match(await inFlight, expected);
      } finally {
        client.destroy();
        await other.stop();
        removeDataDir(other.dataDir);
      }
    });
  }
});

describe('flint serve as a cluster front end', () => {
  const FLINT = new URL('../../bin/flint.mjs', import.meta.url).pathname;
  const run = (args: readonly string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(process.execPath, [FLINT, ...args], { env: { ...process.env, ...env } }, (err, _stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stderr }));
    });

  it('refuses to listen on every address without --advertise-url (others could not reach it), before touching the database', async () => {
    const out = await run(['serve', '--database', 'postgres://flint@127.0.0.1:1/none', '--host', '0.0.0.0', '--port', '0']);
    assert.equal(out.code, 2);
    assert.match(out.stderr, /needs --advertise-url URL/);
  });

  it('takes the database of flint token create from FLINT_DATABASE_URL when --database is absent', async () => {
    // nothing listens on port 1: the error names the URL it was given, so the variable was read
    const out = await run(['token', 'create'], { FLINT_DATABASE_URL: 'postgres://flint@127.0.0.1:1/from-env' });
    assert.notEqual(out.code, 0);
    assert.match(out.stderr, /ECONNREFUSED|127\.0\.0\.1:1/);
  });
});
