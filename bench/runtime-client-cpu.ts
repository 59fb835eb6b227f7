/**
 * CPU time per warm invoke of the Node.js runtime client (src/sandbox-runtime/nodejs), the figure
 * that bounds a small function's tail (bench/small-function-tail.ts, docs/data-plane.md): the
 * client runs as a plain child process (no sandbox, so no CPU quota) against the real Runtime API
 * server, and its CPU time is read from /proc (every thread: main, V8's compiler and GC helpers,
 * libuv) before and after N invokes of a hello handler.
 *
 *   node_modules/.bin/node bench/runtime-client-cpu.ts [--quick] [--runtime nodejs22.x] [--cpu-prof DIR] [--node-option=--flag ...]
 *
 * Two rhythms: back to back, and sporadic (one invoke every SPORADIC_GAP_MS, during which the
 * client sits idle and V8 may run idle-time work). Prints µs of CPU per invoke (user, system,
 * all threads) and the invoke round trip's p50 / p99. `--cpu-prof DIR` starts the client with
 * node's --cpu-prof, writing a .cpuprofile of the main thread into DIR when it exits; `--node-option`
 * adds node flags (e.g. --trace-gc, V8 heap sizes) to the client's command line.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { RuntimeApiServer } from '../src/worker-host/runtime-api/index.ts';
import { startFunction } from '../test/runtime/runtime-harness.ts';
import { threadsRunNs } from './lib/proc-cpu.ts';
import { fmt, summarize } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runtime: { type: 'string', default: 'nodejs22.x' },
    'cpu-prof': { type: 'string' },
    'node-option': { type: 'string', multiple: true, default: [] },
  },
});
const N = values.quick ? 1000 : 5000;
const SPORADIC_N = values.quick ? 100 : 300;
const SPORADIC_GAP_MS = 50;
const WARMUP = 500;
// `{exit: true}` ends the client normally, so that --cpu-prof writes its profile.
const HELLO = `exports.handler = async (event) => { if (event.exit) process.exit(0); return { hello: 'world', event }; };`;
const TICK_US = 1e6 / 100; // USER_HZ

interface Cpu {
  /** Run time of every thread, ns (schedstat). */
  readonly runNs: number;
  /** User and system time of the process, µs (clock ticks). */
  readonly userUs: number;
  readonly systemUs: number;
}

function cpuOf(pid: number): Cpu {
  const runNs = threadsRunNs(pid);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { runNs, userUs: Number(fields[11]) * TICK_US, systemUs: Number(fields[12]) * TICK_US };
}

const server = new RuntimeApiServer();
const fn = await startFunction({
  server, runtime: values.runtime, handler: 'index.handler', files: { 'index.js': HELLO }, memorySizeMb: 128,
  nodeOptions: [...values['node-option'], ...(values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : [])],
});
try {
  await fn.session.ready();
  const invoke = () => fn.invoke({ n: 1 });
  for (let i = 0; i < WARMUP; i++) await invoke();
  const pid = fn.child.pid!;
  const rows: string[] = [];
  for (const [label, count, gapMs] of [['back to back', N, 0], [`sporadic (every ${SPORADIC_GAP_MS} ms)`, SPORADIC_N, SPORADIC_GAP_MS]] as const) {
    const latencies: number[] = [];
    const before = cpuOf(pid);
    for (let i = 0; i < count; i++) {
      if (gapMs > 0) await sleep(gapMs);
      const t = performance.now();
      await invoke();
      latencies.push(performance.now() - t);
    }
    const after = cpuOf(pid);
    const s = summarize(latencies);
    const per = (x: number) => fmt(x / count, 0);
    rows.push(`| ${label} | ${count} | ${per((after.runNs - before.runNs) / 1000)} | ${per(after.userUs - before.userUs)} | ${per(after.systemUs - before.systemUs)} | ${fmt(s.p50, 3)} | ${fmt(s.p99, 3)} |`);
  }
  process.stdout.write([
    `Node runtime client (${values.runtime}) CPU per warm invoke of a hello handler, plain process, µs`,
    '',
    '| rhythm | n | cpu (all threads) | user | system | round trip p50 ms | p99 ms |',
    '|---|---|---|---|---|---|---|',
    ...rows, '',
  ].join('\n'));
} finally {
  if (values['cpu-prof']) {
    fn.invoke({ exit: true }).catch(() => {});
    await fn.exited;
  }
  await fn.close();
  await server.close();
}
