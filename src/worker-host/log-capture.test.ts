import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { LogCapture, type LogEvent, type LogSink } from './log-capture.ts';

/** A sink that records what it is asked to prepare and what it is given. */
function recordingSink() {
  const prepared: string[] = [];
  const appended: Array<{ stream: string; events: readonly LogEvent[] }> = [];
  const sink: LogSink = {
    prepare: (group, stream) => void prepared.push(`${group} ${stream}`),
    append: async (_group, stream, events) => void appended.push({ stream, events }),
  };
  return { sink, prepared, appended };
}

describe('LogCapture', () => {
  it('has the sink get a stream ready when a sandbox is directed at it, before anything is written to it', async () => {
    const { sink, prepared, appended } = recordingSink();
    const out = new PassThrough();
    const undirected: string[] = [];
    const capture = new LogCapture(sink, [out], (line) => undirected.push(line));
    out.write('before\n');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(prepared, []);
    capture.direct('/aws/lambda/f', 's1');
    assert.deepEqual(prepared, ['/aws/lambda/f s1']);
    assert.equal(appended.length, 0, 'preparing writes nothing');
    capture.platform('START');
    await capture.flush();
    assert.deepEqual(appended.map((a) => [a.stream, a.events.map((e) => e.message)]), [['s1', ['START']]]);
    assert.deepEqual(undirected, ['before']);
  });

  it('works with a sink that has nothing to prepare', async () => {
    const appended: string[] = [];
    const capture = new LogCapture({ append: async (_g, _s, events) => void appended.push(...events.map((e) => e.message)) }, [], () => undefined);
    capture.direct('/aws/lambda/f', 's1');
    capture.platform('END');
    await capture.flush();
    assert.deepEqual(appended, ['END']);
  });
});
