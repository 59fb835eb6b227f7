#!/usr/bin/env node
// Runs Flint on the Node 24 the project installs for itself (node_modules/node),
// whatever `node` is first on PATH, then hands over to the TypeScript entry point.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import module from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  const local = join(root, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(local)) {
    process.stderr.write(`flint: needs Node 24 (found ${process.version}); run 'npm install' in ${root} first\n`);
    process.exit(1);
  }
  const r = spawnSync(local, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
// Compiled code, TypeScript's stripped output included, is cached on disk: a later start loads no
// type stripper (~30 MB less memory, which every process spawn copies the page tables of) and
// compiles nothing it compiled before. A cache that cannot be written only costs the compile.
module.enableCompileCache?.(join(root, '.build', 'node-compile-cache'));
await import(join(root, 'src', 'cli', 'main.ts'));
