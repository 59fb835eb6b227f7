/**
 * Installs the peer on demand: serverless 3 + serverless-offline 13, pinned by the
 * committed bench/peer/package.json and package-lock.json, with `npm ci` into
 * bench/peer/node_modules (gitignored), so the project's own install stays slim.
 * A marker holding the lock file's hash skips the install when it is current.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Progress } from '../lib/progress.ts';

export const PEER_DIR = new URL('../peer', import.meta.url).pathname;
export const SERVERLESS_BIN = join(PEER_DIR, 'node_modules', 'serverless', 'bin', 'serverless.js');
const MARKER = join(PEER_DIR, 'node_modules', '.flint-bench-lock-sha256');
const INSTALL_TIMEOUT_MS = 5 * 60_000;

export type PeerInstall = { readonly ok: true; readonly versions: string } | { readonly ok: false; readonly reason: string };

const lockHash = () => createHash('sha256').update(readFileSync(join(PEER_DIR, 'package-lock.json'))).digest('hex');

function installedVersions(): string {
  const v = (pkg: string) => (JSON.parse(readFileSync(join(PEER_DIR, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  return `serverless ${v('serverless')} + serverless-offline ${v('serverless-offline')}`;
}

function npmCi(progress: Progress): Promise<string | undefined> {
  return new Promise((resolve) => {
    const npm = spawn('npm', ['ci', '--prefix', PEER_DIR, '--ignore-scripts', '--no-audit', '--no-fund'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const startedMs = Date.now();
    let output = '';
    const collect = (d: Buffer) => (output += d.toString('utf8'));
    npm.stdout.on('data', collect);
    npm.stderr.on('data', collect);
    const ticker = setInterval(() => progress.step(`  ... npm ci still running (${Math.round((Date.now() - startedMs) / 1000)} s)`), 5000);
    const killer = setTimeout(() => npm.kill('SIGTERM'), INSTALL_TIMEOUT_MS);
    const done = (reason: string | undefined) => {
      clearInterval(ticker);
      clearTimeout(killer);
      resolve(reason);
    };
    npm.once('error', (err) => done(`npm could not be started: ${err.message}`));
    npm.once('exit', (code, signal) => {
      const last = output.trim().split('\n').filter((l) => !/Unknown user config/.test(l)).slice(-3).join(' / ');
      if (code === 0) progress.step(`  ${last}`);
      done(code === 0 ? undefined : `npm ci exited with ${code ?? signal}: ${last}`);
    });
  });
}

export async function ensurePeerInstalled(progress: Progress): Promise<PeerInstall> {
  if (existsSync(MARKER) && existsSync(SERVERLESS_BIN) && readFileSync(MARKER, 'utf8').trim() === lockHash()) {
    progress.step(`peer already installed in ${PEER_DIR}/node_modules`);
    return { ok: true, versions: installedVersions() };
  }
  progress.step(`installing the peer (serverless + serverless-offline, pinned by bench/peer/package-lock.json): npm ci into ${PEER_DIR}/node_modules`);
  const failure = await npmCi(progress);
  if (failure !== undefined) return { ok: false, reason: failure };
  writeFileSync(MARKER, `${lockHash()}\n`);
  return { ok: true, versions: installedVersions() };
}
