import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { postgresBinDir, requirePostgres, startPostgres } from './postgres.ts';

const run = promisify(execFile);

test('a throwaway cluster runs as an unprivileged user on loopback, hands out fresh databases, and stop removes it', { skip: requirePostgres() }, async () => {
  const cluster = await startPostgres();
  let dataDir: string;
  try {
    const psql = async (url: string, sql: string): Promise<string> => (await run(join(postgresBinDir()!, 'psql'), [url, '-XAtq', '-c', sql])).stdout.trim();
    dataDir = await psql(cluster.url, "SELECT current_setting('data_directory')");
    if (process.getuid?.() === 0) assert.notEqual(statSync(dataDir).uid, 0, 'the server does not run as root');
    assert.equal(await psql(cluster.url, "SELECT current_setting('listen_addresses')"), '127.0.0.1');
    const [a, b] = [await cluster.createDatabase(), await cluster.createDatabase()];
    assert.notEqual(a, b);
    assert.match(a, new RegExp(`^postgres://flint@127\\.0\\.0\\.1:${cluster.port}/\\w+$`));
    await psql(a, 'CREATE TABLE t (x int)');
    assert.equal(await psql(b, "SELECT count(*) FROM pg_tables WHERE tablename = 't'"), '0');
  } finally {
    await cluster.stop();
  }
  assert.equal(existsSync(dataDir), false);
});
