import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createHash } from 'node:crypto';
import { builtFrom } from './native-tools.ts';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

test('a build counts as current by the content stamp of its source, whatever the timestamps say', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'flint-native-tools-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const source = join(dir, 'helper.c');
  const binary = join(dir, 'helper');
  writeFileSync(source, 'int main(void) { return 0; }\n');
  writeFileSync(binary, 'binary');
  assert.equal(builtFrom(binary, [source]), false, 'no stamp: not known to be current');

  writeFileSync(`${binary}.source-sha256`, `${sha256('int main(void) { return 0; }\n')}\n`);
  // a checkout makes the source newer than the build (the case that timestamps got wrong)
  utimesSync(binary, new Date(2000, 0, 1), new Date(2000, 0, 1));
  assert.equal(builtFrom(binary, [source]), true, 'same content, newer source file: current');

  writeFileSync(source, 'int main(void) { return 1; }\n');
  utimesSync(source, new Date(1999, 0, 1), new Date(1999, 0, 1));
  assert.equal(builtFrom(binary, [source]), false, 'changed content, older source file: stale');
});

test('a build of several sources is current by the stamp of their contents one after the other', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'flint-native-tools-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const [a, b, binary] = ['a.c', 'b.h', 'helper'].map((f) => join(dir, f)) as [string, string, string];
  writeFileSync(a, 'int a;\n');
  writeFileSync(b, 'int b;\n');
  writeFileSync(binary, 'binary');
  writeFileSync(`${binary}.source-sha256`, `${sha256('int a;\nint b;\n')}\n`);
  assert.equal(builtFrom(binary, [a, b]), true);
  writeFileSync(b, 'int c;\n');
  assert.equal(builtFrom(binary, [a, b]), false, 'a changed second source: stale');
});
