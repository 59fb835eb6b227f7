/**
 * The Node runtime client as cells run it: `src/sandbox-runtime/nodejs` bundled into one ES module
 * (`bootstrap.mjs`), with its warm-up probes beside it and the mount point of the AWS SDK.
 *
 * Why one file: a cell starts a Node process per sandbox, and Node's ES module loader charges each
 * module of the client on its own (resolution, a read, a compile, linking). Eight modules cost a
 * cell's start ~4 ms more CPU than the same code in one file (`perf stat`, medians of 80 starts), in
 * every cold start and 50 times over in a burst of 50.
 *
 * Built on demand, once per version of the sources: the bundle lives in `<buildRoot>/<digest of the
 * sources>/`, so an edited client is rebuilt at the next start and Flints of different checkouts
 * never share one. Built in a temporary directory and renamed into place, so processes that build
 * it at the same time all end with a whole one.
 */
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildSync } from 'esbuild';

/** The Node versions cells run (runtime-catalog.ts): the oldest decides the syntax. */
const TARGET = 'node20';
/**
 * Bundles of other sources are removed, when a new one is built, once this old. Sandboxes already
 * started on a removed one keep it mounted; a Flint of the same checkout that has run this long on
 * sources edited since would fail to start new nodejs cells until it is restarted.
 */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/** The directory holding the bundled client for the sources in `sourceDir`, built if need be. */
export function nodeClientBundle(sourceDir: string, buildRoot: string): string {
  const dir = join(buildRoot, sourceDigest(sourceDir));
  if (existsSync(join(dir, 'bootstrap.mjs'))) return dir;
  mkdirSync(buildRoot, { recursive: true });
  removeStale(buildRoot);
  const work = mkdtempSync(join(buildRoot, '.building-'));
  try {
    chmodSync(work, 0o755); // mkdtemp makes it the owner's only; sandboxes run as another user
    buildSync({
      entryPoints: [join(sourceDir, 'bootstrap.mjs')],
      outfile: join(work, 'bootstrap.mjs'),
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: TARGET,
      logLevel: 'silent',
    });
    cpSync(join(sourceDir, 'warm'), join(work, 'warm'), { recursive: true });
    mkdirSync(join(work, 'node_modules')); // where the AWS SDK is mounted (cell-template.ts)
    try {
      renameSync(work, dir);
    } catch (err) {
      if (!existsSync(join(dir, 'bootstrap.mjs'))) throw err; // else: another process built it first
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return dir;
}

/** Digest of every file under `sourceDir` (bar `node_modules`), names and contents. */
export function sourceDigest(sourceDir: string): string {
  const hash = createHash('sha256');
  for (const file of filesUnder(sourceDir)) hash.update(relative(sourceDir, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

function filesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') files.push(...filesUnder(path));
    } else if (entry.isFile()) files.push(path);
  }
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function removeStale(buildRoot: string): void {
  const now = Date.now();
  for (const entry of readdirSync(buildRoot)) {
    const path = join(buildRoot, entry);
    try {
      if (now - statSync(path).mtimeMs > STALE_AFTER_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // removed meanwhile by another process
    }
  }
}
