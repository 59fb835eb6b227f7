import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { FlintApiError, resolveEndpoint } from './flint-client.ts';

const run = promisify(execFile);
const FLINT = new URL('../../bin/flint.mjs', import.meta.url).pathname;

/** A loopback port nothing listens on: bound, read, released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the CLI endpoint', () => {
  it('is --endpoint, else FLINT_ENDPOINT, else the configured host and port (a wildcard host read as loopback)', () => {
    const table: Array<[string | undefined, NodeJS.ProcessEnv, string]> = [
      ['http://a:1/', { FLINT_ENDPOINT: 'http://b:2' }, 'http://a:1'],
      [undefined, { FLINT_ENDPOINT: 'http://b:2' }, 'http://b:2'],
      [undefined, {}, 'http://127.0.0.1:9977'],
      [undefined, { FLINT_HOST: '0.0.0.0', FLINT_PORT: '8000' }, 'http://127.0.0.1:8000'],
      [undefined, { FLINT_HOST: '::1' }, 'http://[::1]:9977'],
      [undefined, { FLINT_ENDPOINT: '', FLINT_PORT: '8000' }, 'http://127.0.0.1:8000'],
    ];
    for (const [flag, env, expected] of table) assert.equal(resolveEndpoint(flag, env), expected, JSON.stringify([flag, env]));
  });

  for (const command of [['status'], ['logs', 'some-function'], ['dlq', 'list']]) {
    it(`makes flint ${command[0]} say no Flint is listening when nothing answers, and exit 1`, async () => {
      const url = `http://127.0.0.1:${await closedPort()}`;
      const failed = await run(process.execPath, [FLINT, ...command], { env: { ...process.env, FLINT_ENDPOINT: url } }).then(
        () => assert.fail('the command succeeded'),
        (err: { code: number; stderr: string; stdout: string }) => err,
      );
      assert.equal(failed.code, 1);
      assert.equal(failed.stdout, '');
      assert.match(failed.stderr, new RegExp(`^flint: no Flint is listening at ${url}; start it with npm start`));
    });
  }
});

describe('FlintApiError', () => {
  it('is a missing resource for a 404 of a known route only, not for an unknown route\'s 404', () => {
    assert.equal(new FlintApiError(404, 'ResourceNotFoundException', 'Function not found').notFound, true);
    assert.equal(new FlintApiError(404, undefined, 'no dead letter 7').notFound, true);
    assert.equal(new FlintApiError(404, 'UnknownOperationException', 'Unknown operation GET /x').notFound, false);
    assert.equal(new FlintApiError(400, 'InvalidParameterValueException', 'bad').notFound, false);
  });
});
