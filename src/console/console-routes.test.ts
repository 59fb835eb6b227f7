import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createApiServer } from '../api/index.ts';
import { systemClock } from '../shared/index.ts';
import { registerConsoleRoutes } from './console-routes.ts';
import { InvocationSeries } from './invocation-series.ts';

function consoleApp(pushEveryMs = 60_000) {
  const app = createApiServer({ logger: pino({ level: 'silent' }) });
  const series = new InvocationSeries({ clock: systemClock });
  let asked = 0;
  registerConsoleRoutes(app, { status: async () => ({ asked: ++asked }), series, clock: systemClock, logger: pino({ level: 'silent' }), pushEveryMs });
  return { app, series };
}

/** Reads `snapshot` events off an open event stream, one at a time. */
function events(body: ReadableStream<Uint8Array>) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  return {
    async next(): Promise<{ status: { asked: number }; series: { seconds: Array<{ invocations: number }> } } | 'ended'> {
      for (;;) {
        const frame = /event: snapshot\ndata: (.*)\n\n/.exec(buffered);
        if (frame) {
          buffered = buffered.slice(frame.index + frame[0].length);
          return JSON.parse(frame[1]!);
        }
        const { value, done } = await reader.read();
        if (done) return 'ended';
        buffered += value;
      }
    },
  };
}

describe('console routes', () => {
  it('serves the page with an import map of its libraries, and every module it names', async () => {
    const { app } = consoleApp();
    const page = await app.inject({ method: 'GET', url: '/console' });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    const imports = JSON.parse(/<script type="importmap">([\s\S]*?)<\/script>/.exec(page.body)![1]!).imports as Record<string, string>;
    const named = [...Object.values(imports), ...[...page.body.matchAll(/(?:src|href)="(\/console\/[^"]+)"/g)].map((m) => m[1]!)];
    assert.ok(named.length >= 7, named.join(' '));
    for (const url of named) {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, url);
      assert.match(String(res.headers['content-type']), /^text\/(javascript|css)/, url);
    }
    const app_ = await app.inject({ method: 'GET', url: '/console/app/app.js' });
    for (const [, file] of app_.body.matchAll(/from '\.\/([\w-]+\.js)'/g)) assert.equal((await app.inject({ method: 'GET', url: `/console/app/${file}` })).statusCode, 200, file);
    await app.close();
  });

  it('serves nothing but its own files', async () => {
    const { app } = consoleApp();
    for (const url of ['/console/app/nope.js', '/console/app/..%2F..%2Fmain.ts', '/console/vendor/..%2Fpackage.json', '/console/vendor/preact.js']) {
      assert.equal((await app.inject({ method: 'GET', url })).statusCode, 404, url);
    }
    await app.close();
  });

  it('streams a snapshot at once and another after an invocation, and ends its streams when the server closes', { timeout: 20_000 }, async (t: TestContext) => {
    const { app, series } = consoleApp();
    t.after(() => app.close()); // a failed assertion must not leave the server (and its push timer) holding the process
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/console/events`);
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    const stream = events(res.body!);
    const first = await stream.next();
    assert.ok(first !== 'ended' && first.status.asked === 1 && first.series.seconds.every((s) => s.invocations === 0));
    series.invoked('f', 'success', false, 3, undefined);
    const second = await stream.next(); // pushed on change: the periodic push is a minute away here
    // summed over the window: the push may land in the second after the invocation's
    assert.ok(second !== 'ended' && second.series.seconds.reduce((sum, s) => sum + s.invocations, 0) === 1);
    await app.close(); // would wait for the open stream forever if the console did not end it
    assert.equal(await stream.next(), 'ended');
  });

  it('pushes every period to every client from one snapshot per push', { timeout: 20_000 }, async (t: TestContext) => {
    const { app } = consoleApp(50);
    t.after(() => app.close());
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const a = events((await fetch(`http://127.0.0.1:${port}/console/events`)).body!);
    await a.next();
    const b = events((await fetch(`http://127.0.0.1:${port}/console/events`)).body!);
    await b.next();
    const seenByA = new Set<number>();
    const seenByB = new Set<number>();
    for (let i = 0; i < 4; i++) {
      const x = await a.next();
      const y = await b.next();
      if (x !== 'ended') seenByA.add(x.status.asked);
      if (y !== 'ended') seenByB.add(y.status.asked);
    }
    assert.ok([...seenByB].some((n) => seenByA.has(n)), 'the same periodic snapshot reached both clients');
  });
});
