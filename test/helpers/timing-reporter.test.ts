import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import timingReporter from './timing-reporter.ts';

test('the timing reporter lists the slowest files, wall time against time in tests', async () => {
  const file = (name: string) => join(process.cwd(), name);
  async function* events() {
    yield { type: 'test:complete', data: { file: file('test/a.test.ts'), name: 'inner', nesting: 1, details: { duration_ms: 1 } } };
    yield { type: 'test:summary', data: { file: file('test/a.test.ts'), duration_ms: 1500 } };
    yield { type: 'test:complete', data: { file: file('test/a.test.ts'), name: 'test/a.test.ts', nesting: 0, details: { duration_ms: 9000 } } };
    yield { type: 'test:summary', data: { file: file('test/b.test.ts'), duration_ms: 2000 } };
    yield { type: 'test:complete', data: { file: file('test/b.test.ts'), name: 'test/b.test.ts', nesting: 0, details: { duration_ms: 2100 } } };
    yield { type: 'test:summary', data: { duration_ms: 11_000 } };
  }
  let out = '';
  for await (const chunk of timingReporter(events())) out += chunk;
  const lines = out.trim().split('\n');
  assert.match(lines[0]!, /slowest test files \(wall s \/ in tests s\), of 2 files taking 11 s in all:/);
  assert.match(lines[1]!, /^\s+9\.0 \/\s+1\.5  test\/a\.test\.ts$/);
  assert.match(lines[2]!, /^\s+2\.1 \/\s+2\.0  test\/b\.test\.ts$/);
});
