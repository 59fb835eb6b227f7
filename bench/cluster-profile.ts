/**
 * CPU profile of the cluster's invoke hops: PostgreSQL, 2 front ends and 1 worker host run under
 * `node --cpu-prof`; warm hello invokes go to the front end that does not own the function (so
 * each one crosses both hops: forwarding to the owner, then the owner to the worker host).
 *
 *   node bench/cluster-profile.ts [invokes=2000] [out-dir]
 *
 * Then `node bench/lib/profile-summary.ts <out-dir>/*.cpuprofile` ranks where the time goes.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { CreateFunctionCommand, InvokeCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { ownerOf } from '../src/cluster/index.ts';
import { removeDataDir, startFlintProcess } from '../test/helpers/flint-process.ts';
import { startPostgres } from '../test/helpers/postgres.ts';
import { nodeHandlerZip } from '../test/helpers/zip.ts';
import { startFlintWorker } from './lib/flint-worker-process.ts';
import { fmt, summarize } from './lib/stats.ts';

const ROOT = resolve(import.meta.dirname, '..');
const N = Number(process.argv[2] ?? 2000);
const outDir = process.argv[3] ?? mkdtempSync(join(tmpdir(), 'flint-cluster-profile-'));
mkdirSync(outDir, { recursive: true });
const run = promisify(execFile);

const pg = await startPostgres();
try {
  const database = await pg.createDatabase();
  const env = { FLINT_LOG_LEVEL: 'warn', NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${outDir}` };
  const fe1 = await startFlintProcess({ args: ['--database', database, '--no-local-worker'], env });
  const fe2 = await startFlintProcess({ args: ['--database', database, '--no-local-worker'], env });
  const { stdout: tokenOut } = await run(process.execPath, [join(ROOT, 'bin', 'flint.mjs'), 'token', 'create', '--database', database], { cwd: ROOT });
  process.env.NODE_OPTIONS = env.NODE_OPTIONS;
  const worker = await startFlintWorker(fe1.endpoint, tokenOut.trim().split('\n').at(-1)!);
  delete process.env.NODE_OPTIONS;
  try {
    type Status = { hosts: Array<{ healthy: boolean }>; frontEnds: Array<{ id: string; self?: boolean }> };
    const status = async (e: string) => (await (await fetch(`${e}/flint/status`)).json()) as Status;
    while ((await status(fe1.endpoint)).hosts.filter((h) => h.healthy).length < 1 || (await status(fe2.endpoint)).frontEnds.length < 2 || (await status(fe1.endpoint)).frontEnds.length < 2) await sleep(100);
    const client = fe1.client();
    await client.send(new CreateFunctionCommand({ FunctionName: 'hello', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/p', MemorySize: 1769, Code: { ZipFile: await nodeHandlerZip(`exports.handler = async (event) => ({ hello: 'world', event });`) } }));
    await waitUntilFunctionActiveV2({ client, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'hello' });
    const listed = (await status(fe1.endpoint)).frontEnds;
    const owner = ownerOf('hello', listed.map((f) => f.id));
    const other = owner === listed.find((f) => f.self === true)!.id ? fe2 : fe1;
    const c = other.client();
    const latencies: number[] = [];
    for (let i = 0; i < N + 100; i++) {
      const t = performance.now();
      const r = await c.send(new InvokeCommand({ FunctionName: 'hello', Payload: Buffer.from('{"n":1}') }));
      if (r.FunctionError !== undefined) throw new Error(`hello failed: ${Buffer.from(r.Payload ?? []).toString()}`);
      if (i >= 100) latencies.push(performance.now() - t);
    }
    const s = summarize(latencies);
    process.stdout.write(`forwarded warm hello x${N}: p50 ${fmt(s.p50, 3)} p90 ${fmt(s.p90, 3)} p99 ${fmt(s.p99, 3)} ms\nprofiles in ${outDir}\n`);
  } catch (err) {
    process.stderr.write(`${String(err)}\nfront ends:\n${fe1.logs().slice(-3000)}\n${fe2.logs().slice(-3000)}\n`);
    throw err;
  } finally {
    await worker.stop();
    for (const fe of [fe2, fe1]) {
      await fe.stop();
      removeDataDir(fe.dataDir);
    }
  }
} finally {
  await pg.stop();
}
