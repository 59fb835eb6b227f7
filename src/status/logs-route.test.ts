import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createApiServer } from '../api/index.ts';
import { FileLogStore } from '../storage/index.ts';
import { registerLogsRoute } from './logs-route.ts';

describe('GET /flint/logs/{name}', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flint-logs-route-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const store = new FileLogStore(dir, join(dir, 'log-retention.json'));
  const app = createApiServer({ logger: pino({ level: 'silent' }) });
  registerLogsRoute(app, { logs: store });
  const read = async (url: string) => {
    const res = await app.inject({ method: 'GET', url });
    return { status: res.statusCode, type: res.headers['x-amzn-errortype'], body: res.json() as { Events: Array<{ LogStreamName: string; Message: string }>; NextToken: string } };
  };

  it('returns every stream of the group, then with the token only what was written since', async () => {
    await store.append('/aws/lambda/f', 's1', [{ timestampMs: 1, message: 'one' }]);
    await store.append('/aws/lambda/f', 's2', [{ timestampMs: 2, message: 'two' }]);
    await store.append('/aws/lambda/other', 's1', [{ timestampMs: 2, message: 'not mine' }]);
    const first = await read('/flint/logs/f');
    assert.deepEqual(first.body.Events.map((e) => `${e.LogStreamName} ${e.Message}`).sort(), ['s1 one', 's2 two']);
    const none = await read(`/flint/logs/f?NextToken=${first.body.NextToken}`);
    assert.deepEqual(none.body.Events, []);
    await store.append('/aws/lambda/f', 's2', [{ timestampMs: 3, message: 'three' }]);
    await store.append('/aws/lambda/f', 's3', [{ timestampMs: 4, message: 'four' }]);
    const next = await read(`/flint/logs/f?NextToken=${none.body.NextToken}`);
    assert.deepEqual(next.body.Events.map((e) => `${e.LogStreamName} ${e.Message}`).sort(), ['s2 three', 's3 four']);
  });

  it('answers an empty page for a function that has written nothing', async () => {
    assert.deepEqual((await read('/flint/logs/never-ran')).body.Events, []);
  });

  it('refuses a token it did not hand out with InvalidParameterValueException', async () => {
    for (const token of ['garbage!', Buffer.from('[1]').toString('base64url'), Buffer.from('{"s":-1}').toString('base64url')]) {
      const res = await read(`/flint/logs/f?NextToken=${token}`);
      assert.equal(res.status, 400, token);
      assert.match(String(res.type), /^InvalidParameterValueException/);
    }
  });
});
