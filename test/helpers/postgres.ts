/**
 * Throwaway PostgreSQL clusters for tests: `initdb` into a fresh temp dir owned by an
 * unprivileged user (`nobody` when the tests run as root: the server refuses to run as root),
 * a free loopback port, the unix socket in the temp dir, fsync off. `stop()` stops the server
 * (`pg_ctl stop -m immediate`) and removes the directory; a cluster a crashed test process
 * left running is stopped by the exit hook. Each test file gets a fresh database on its
 * cluster with `createDatabase()`.
 */
import { execFile, type ExecFileOptions } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requirePrerequisite } from './prerequisite.ts';

const run = promisify(execFile);
const SUPERUSER = 'flint';
/** The user the server runs as when the tests run as root (Debian's `nobody`). */
const UNPRIVILEGED = { uid: 65534, gid: 65534 };

export interface PostgresCluster {
  /** `postgres://flint@127.0.0.1:PORT/postgres` (trust authentication on loopback). */
  readonly url: string;
  readonly port: number;
  /** Creates a fresh, empty database on this cluster; its URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

/** The newest installed server's bin directory (/usr/lib/postgresql/<major>/bin), if any. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root).filter((d) => /^\d+$/.test(d)).map(Number).sort((a, b) => b - a);
  for (const major of majors) {
    const bin = join(root, String(major), 'bin');
    if (major >= 15 && existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  return undefined;
}

/** The skip reason when no PostgreSQL 15+ server is installed (under CI it throws instead: see requirePrerequisite). */
export function requirePostgres(): string | false {
  return requirePrerequisite('PostgreSQL 15+ server', postgresBinDir() !== undefined, 'install the Debian package `postgresql` (scripts/setup.sh does)');
}

/** Starts a throwaway cluster. Pre: requirePostgres() returned false. */
export async function startPostgres(): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  if (bin === undefined) throw new Error('no PostgreSQL server installed under /usr/lib/postgresql');
  const dir = mkdtempSync(join(tmpdir(), 'flint-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dir, UNPRIVILEGED.uid, UNPRIVILEGED.gid);
  const options: ExecFileOptions = { cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', TZ: 'UTC' }, ...(asRoot ? UNPRIVILEGED : {}) };
  const data = join(dir, 'data');
  const cleanup = (): void => stopNow(data, dir);
  process.once('exit', cleanup);
  try {
    await run(join(bin, 'initdb'), ['-D', data, '-U', SUPERUSER, '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'], options);
    const port = await startServer(bin, data, dir, options);
    const url = `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`;
    return {
      url,
      port,
      async createDatabase(): Promise<string> {
        const name = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
        await run(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', SUPERUSER, name], options);
        return `postgres://${SUPERUSER}@127.0.0.1:${port}/${name}`;
      },
      async stop(): Promise<void> {
        process.removeListener('exit', cleanup);
        await run(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w'], options).catch(() => stopNow(data, dir));
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    process.removeListener('exit', cleanup);
    cleanup();
    throw err;
  }
}

/** Starts the server on a free port; retries when another process took the port meanwhile. */
async function startServer(bin: string, data: string, dir: string, options: ExecFileOptions): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const settings = ['-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
    try {
      await run(join(bin, 'pg_ctl'), ['start', '-D', data, '-w', '-t', '60', '-l', join(dir, 'server.log'), '-o', settings.join(' ')], options);
      return port;
    } catch (err) {
      if (attempt >= 3) throw new Error(`PostgreSQL did not start: ${String(err)}\n${readLog(dir)}`);
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Synchronous last resort (process exit): SIGQUIT is PostgreSQL's immediate shutdown. */
function stopNow(data: string, dir: string): void {
  try {
    const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (pid > 0) process.kill(pid, 'SIGQUIT');
  } catch {
    // not started, or already stopped
  }
  rmSync(dir, { recursive: true, force: true });
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'server.log'), 'utf8');
  } catch {
    return '';
  }
}
