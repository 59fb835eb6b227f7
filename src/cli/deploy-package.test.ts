import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { packageFiles, packDirectory } from './deploy-package.ts';

const root = mkdtempSync(join(tmpdir(), 'flint-deploy-package-'));
after(() => rmSync(root, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

test('packages every file but those .flintignore excludes (gitignore syntax), .git/, .flintignore and flint.json', async () => {
  const dir = tree('ignore', {
    'index.js': 'x',
    'lib/util.js': 'x',
    'lib/util.test.js': 'x',
    'secrets/key.pem': 'x',
    'node_modules/dep/index.js': 'x',
    'node_modules/dep/README.md': 'x',
    'keep.md': 'x',
    '.git/HEAD': 'x',
    'flint.json': '{}',
    '.flintignore': '*.test.js\nsecrets/\n*.md\n!keep.md\n',
  });
  assert.deepEqual(await packageFiles(dir), ['index.js', 'keep.md', 'lib/util.js', 'node_modules/dep/index.js']);
});

test('keeps file modes (an executable bootstrap stays executable) and stores symbolic links as links', async () => {
  const dir = tree('modes', { bootstrap: '#!/bin/sh\n', 'data.txt': 'hello' });
  chmodSync(join(dir, 'bootstrap'), 0o755);
  symlinkSync('data.txt', join(dir, 'link.txt'));
  const { zip, files } = await packDirectory(dir);
  assert.deepEqual(files, ['bootstrap', 'data.txt', 'link.txt']);
  const entries = await new Promise<Map<string, number>>((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (err, z) => {
      if (err) return reject(err);
      const out = new Map<string, number>();
      z.on('entry', (e: yauzl.Entry) => {
        out.set(e.fileName, e.externalFileAttributes >>> 16);
        z.readEntry();
      });
      z.on('end', () => resolve(out));
      z.readEntry();
    });
  });
  assert.equal(entries.get('bootstrap')! & 0o777, 0o755);
  assert.equal(entries.get('data.txt')! & 0o111, 0, 'a plain file is not made executable');
  assert.equal(entries.get('link.txt')! & 0o170000, 0o120000, 'a symbolic link');
});
