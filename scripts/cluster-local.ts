/**
 * `npm run cluster:local`: a whole Flint cluster on this machine, no compose: a throwaway
 * PostgreSQL (initdb as an unprivileged user, a free loopback port), two front ends
 * (`flint serve --database ... --no-local-worker`), a join token, and three worker hosts
 * (`flint worker --join ...`, each given a third of the machine's sandbox memory). Every
 * process writes its log to .flint-cluster/<name>.log. Ctrl-C (or SIGTERM) drains the workers,
 * stops the front ends and removes the database.
 *
 * Options: --front-end-ports 9977,9978 (0 picks free ones) --workers 3 --dir .flint-cluster
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { startPostgres, type PostgresCluster } from '../test/helpers/postgres.ts';

const ROOT = resolve(import.meta.dirname, '..');
const FLINT = join(ROOT, 'bin', 'flint.mjs');

const { values } = parseArgs({
  options: { 'front-end-ports': { type: 'string', default: '9977,9978' }, workers: { type: 'string', default: '3' }, dir: { type: 'string', default: '.flint-cluster' } },
});
const ports = values['front-end-ports'].split(',').map(Number);
const workerCount = Number(values.workers);
const dir = resolve(values.dir);
mkdirSync(dir, { recursive: true, mode: 0o700 });

interface Started {
  readonly name: string;
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<void>;
}

/** Spawns `flint ARGS`, its stdout and stderr into <dir>/<name>.log; resolves with the URL its start line gives. */
async function start(name: string, args: readonly string[], startLine: RegExp): Promise<Started> {
  const log = createWriteStream(join(dir, `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [FLINT, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.pipe(log);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      log.write(d);
      out += d;
      const m = startLine.exec(out);
      if (m) resolveUrl(m[1]!);
    });
    void exited.then(() => reject(new Error(`${name} exited before it started: see ${join(dir, `${name}.log`)}`)));
  });
  return { name, child, url, exited };
}

const running: Started[] = [];
let postgres: PostgresCluster | undefined;
let stopping = false;
async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    // workers first (they drain), then the front ends, then the database
    for (const group of [running.filter((p) => p.name.startsWith('worker')), running.filter((p) => !p.name.startsWith('worker'))]) {
      for (const p of group) if (p.child.exitCode === null) p.child.kill('SIGTERM');
      await Promise.all(group.map((p) => p.exited));
    }
    await postgres?.stop();
  }
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

try {
  postgres = await startPostgres();
  const database = await postgres.createDatabase();
  process.stdout.write(`PostgreSQL: ${database} (throwaway: removed when this stops)\n`);
  const frontEnds: Started[] = [];
  for (const [i, port] of ports.entries()) {
    const fe = await start(`front-end-${i + 1}`, ['serve', '--database', database, '--no-local-worker', '--port', String(port), '--data-dir', join(dir, `front-end-${i + 1}`)], /listening on (http:\/\/\S+)/);
    running.push(fe);
    frontEnds.push(fe);
    process.stdout.write(`front end ${i + 1}: ${fe.url}\n`);
  }
  const { stdout } = await promisify(execFile)(process.execPath, [FLINT, 'token', 'create', '--database', database], { cwd: ROOT });
  const token = stdout.trim().split('\n').at(-1)!;
  const budgetMb = Math.floor((totalmem() / 2 ** 20 - Math.max(1024, totalmem() / 2 ** 20 / 10)) / workerCount);
  for (let i = 0; i < workerCount; i++) {
    const join_ = frontEnds[i % frontEnds.length]!.url;
    const w = await start(`worker-${i + 1}`, ['worker', '--join', join_, '--token', token, '--data-dir', join(dir, `worker-${i + 1}`), '--host-memory-budget-mb', String(budgetMb)], /is listening on (http:\/\/\S+)/);
    running.push(w);
    process.stdout.write(`worker host ${i + 1}: ${w.url} (joined ${join_}, ${budgetMb} MB for sandboxes)\n`);
  }
  process.stdout.write(
    `Cluster up. Try: aws --endpoint-url ${frontEnds[0]!.url} --region us-east-1 lambda list-functions\n` +
      `      and: node bin/flint.mjs status --endpoint ${frontEnds.at(-1)!.url}\n` +
      `Logs: ${dir}/*.log. Ctrl-C stops everything.\n`,
  );
  // a process that dies takes the cluster down with it (and says which)
  await Promise.race(running.map((p) => p.exited.then(() => p)))
    .then((p) => {
      if (!stopping) process.stderr.write(`${p.name} exited: see ${join(dir, `${p.name}.log`)}; stopping the cluster\n`);
    });
  await stopAll(1);
} catch (err) {
  process.stderr.write(`cluster:local failed: ${(err as Error).message}\n`);
  await stopAll(1);
}
