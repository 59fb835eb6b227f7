import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { componentLogger, createLogger } from './logger.ts';

function capture(): { stream: PassThrough; lines: () => string[] } {
  const stream = new PassThrough();
  let text = '';
  stream.setEncoding('utf8').on('data', (d: string) => (text += d));
  return { stream, lines: () => text.split('\n').filter((l) => l !== '') };
}

describe('component loggers', () => {
  it('writes component once per line, as the path of nested components, in children of children too', async () => {
    const out = capture();
    const root = createLogger('info', out.stream);
    const host = componentLogger(root, 'worker-host');
    const driver = componentLogger(host, 'sandbox-driver');
    host.info('a');
    driver.info('b');
    driver.child({ sandboxId: 's1' }).info('c');
    componentLogger(driver.child({ sandboxId: 's2' }), 'cgroups').info('d');
    root.info('e');
    await new Promise((r) => setImmediate(r));
    const lines = out.lines();
    for (const line of lines) assert.ok((line.match(/"component":/g) ?? []).length <= 1, `one component key in ${line}`);
    assert.deepEqual(
      lines.map((l) => JSON.parse(l) as { component?: string; msg: string }).map((l) => [l.msg, l.component]),
      [['a', 'worker-host'], ['b', 'worker-host/sandbox-driver'], ['c', 'worker-host/sandbox-driver'], ['d', 'worker-host/sandbox-driver/cgroups'], ['e', undefined]],
    );
  });
});
