import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startFlintProcess, removeDataDir, type FlintProcess } from '../helpers/flint-process.ts';

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
    assert.equal(res.status, 400);
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
});
