/**
 * Where a burst of cold starts spends its CPU (docs/performance.md): `flint serve` with its default
 * pool, then rounds of 50 concurrent invokes of a fresh nodejs24.x hello function (1769 MB) that each
 * hold their sandbox 3 s, so that 50 sandboxes must run at once. Prints each round's time to the last
 * handler's start and, with `--perf`, records `perf record -a` over the second round (the first grows
 * the pool) and prints the CPU by party: the runtime processes, bubblewrap, Flint's threads, `ip`...
 *
 *   node_modules/.bin/node bench/burst-profile.ts [--rounds 3] [--perf]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { removeDataDir, startFlintProcess } from '../test/helpers/flint-process.ts';
import { createFunction, deleteFunction } from './targets/flint-functions.ts';
import { handlerSource } from './workloads/handler-source.ts';
import { invoke } from './workloads/invoke.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, perf: { type: 'boolean', default: false } } });
const ROUNDS = Number(values.rounds);
const BURST = 50;
const HOLD_MS = 3000;
const PERF_HZ = 999;
const PERF_SECONDS = 2.6;

/** The party a `perf script` sample belongs to, from its command name, process and thread. */
function party(comm: string, pid: number, tid: number, flintPid: number, benchPid: number): string {
  if (pid === flintPid) return tid === flintPid ? 'Flint main thread' : comm === 'WorkerThread' ? "Flint's command thread (ip spawns)" : "Flint's other threads";
  if (pid === benchPid) return 'load generator (this process)';
  if (comm === 'swapper') return 'idle';
  if (comm === 'WorkerThread') return "Flint's command thread's forks before their exec";
  if (comm === 'bwrap') return 'bubblewrap';
  if (comm === 'ip') return 'ip';
  if (comm.startsWith('flint-sandbox')) return 'sandbox helper';
  if (comm === 'init') return 'supervisor (pid 1)';
  if (/^(kworker|ksoftirqd|rcu|kdamond|migration|perf|sleep)/.test(comm)) return 'kernel threads, perf';
  return 'runtime processes (node)';
}

function byParty(perfData: string, flintPid: number): string[] {
  const out = spawnSync('perf', ['script', '-i', perfData, '-F', 'pid,tid,comm'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const samples = new Map<string, number>();
  for (const line of out.stdout.split('\n')) {
    const m = /^\s*(.*\S)\s+(\d+)\/(\d+)\s*$/.exec(line);
    if (!m) continue;
    const key = party(m[1]!, Number(m[2]), Number(m[3]), flintPid, process.pid);
    samples.set(key, (samples.get(key) ?? 0) + 1);
  }
  const busy = [...samples].filter(([k]) => k !== 'idle').reduce((sum, [, n]) => sum + n, 0);
  const ms = (n: number) => Math.round((n * 1000) / PERF_HZ);
  return [
    ...[...samples].sort((a, b) => b[1] - a[1]).map(([k, n]) => `  ${String(ms(n)).padStart(6)} ms ${k === 'idle' ? '' : `${((100 * n) / busy).toFixed(1).padStart(5)} %`}  ${k}`),
    `  ${String(ms(busy)).padStart(6)} ms busy`,
  ];
}

const flint = await startFlintProcess({ args: ['--host-memory-budget-mb', '200000'], env: { FLINT_LOG_LEVEL: 'warn' } });
const perfDir = mkdtempSync(join(tmpdir(), 'flint-burst-'));
try {
  for (let round = 0; round < ROUNDS; round++) {
    const fn = { client: flint.client(), name: `burst-${round}` };
    await createFunction(fn.client, fn.name, handlerSource('hello', 1000), 1769);
    await sleep(1500); // the pool refills
    const perfData = join(perfDir, 'perf.data');
    const perf = values.perf && round === 1
      ? spawn('perf', ['record', '-a', '-F', String(PERF_HZ), '-o', perfData, '--', 'sleep', String(PERF_SECONDS)], { stdio: 'ignore' })
      : undefined;
    if (perf) await sleep(150);
    const sent = Date.now();
    const replies = await Promise.all(Array.from({ length: BURST }, () => invoke(fn, { holdMs: HOLD_MS })));
    const starts = replies.map((r) => r.startedMs - sent).sort((a, b) => a - b);
    console.log(`round ${round}: ${BURST} handlers running after ${starts.at(-1)} ms (${new Set(replies.map((r) => r.instance)).size} sandboxes)`);
    if (perf) {
      await new Promise((resolve) => (perf.exitCode !== null ? resolve(undefined) : perf.once('exit', resolve)));
      console.log(`CPU by party over ${PERF_SECONDS} s of round ${round} (perf record -a, ${PERF_HZ} Hz):`);
      for (const line of byParty(perfData, flint.child.pid!)) console.log(line);
    }
    await deleteFunction(fn.client, fn.name);
  }
} finally {
  await flint.stop();
  removeDataDir(flint.dataDir);
  rmSync(perfDir, { recursive: true, force: true });
}
