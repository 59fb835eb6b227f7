/**
 * How a fresh server's warm invoke latency falls as it runs: Flint and the peer (each started
 * fresh, as `npm run bench` starts them for every repetition) invoke a warm hello function one call
 * at a time through the SDK, and the p50 of each block of invokes is printed. The first block is
 * what `npm run bench` measures as "warm invoke p50" (its 250 timed invokes after 50 untimed ones);
 * the later ones show the same servers once V8 has optimised their hot paths.
 *
 *   node_modules/.bin/node bench/warm-curve.ts [--rounds 3] [--invokes 4000] [--without-warm-up]
 *
 * The first block is the server's first invoke (a cold start). `--without-warm-up` adds a Flint
 * started with `FLINT_WARM_UP_INVOKES=0` (no warm-up of its invoke path before it listens).
 *
 * Targets alternate within each round, so slow drift of the machine favours neither.
 */
import { parseArgs } from 'node:util';
import { Cleanup } from './lib/cleanup.ts';
import { Progress } from './lib/progress.ts';
import { median, percentile } from './lib/stats.ts';
import { startFlintTarget } from './targets/flint-target.ts';
import { ensurePeerInstalled } from './targets/peer-install.ts';
import { startPeerTarget } from './targets/peer-target.ts';
import type { Target } from './targets/target.ts';
import { benchParams, calibrateCpuIterations, handlerSource, HANDLER_KINDS, type HandlerKind } from './workloads/index.ts';
import { invoke } from './workloads/invoke.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, invokes: { type: 'string', default: '4000' }, 'without-warm-up': { type: 'boolean', default: false } } });
const ROUNDS = Number(values.rounds);
const INVOKES = Number(values.invokes);
/** Block edges (invoke numbers, from 1); the first block is the one `npm run bench` times. */
const EDGES = [0, 1, 50, 300, 1000, 2000, INVOKES].filter((e, i, all) => e <= INVOKES && (i === 0 || e > all[i - 1]!));

async function curve(target: Target): Promise<number[]> {
  const fn = await target.warmFunction('hello');
  const latencies: number[] = [];
  for (let i = 0; i < INVOKES; i++) {
    const t = performance.now();
    await invoke(fn);
    latencies.push(performance.now() - t);
  }
  const p50s = EDGES.slice(1).map((end, i) => percentile(latencies.slice(EDGES[i], end).sort((a, b) => a - b), 50));
  // and, last, the p99 of the block `npm run bench` times
  return [...p50s, percentile(latencies.slice(EDGES[2], EDGES[3]).sort((a, b) => a - b), 99)];
}

const progress = new Progress();
const cleanup = new Cleanup();
cleanup.onSignals();
try {
  const params = benchParams(false, calibrateCpuIterations(5));
  const sources = Object.fromEntries(HANDLER_KINDS.map((k) => [k, handlerSource(k, params.cpuIterations)])) as Record<HandlerKind, string>;
  const peer = await ensurePeerInstalled(progress);
  if (!peer.ok) throw new Error(`the peer could not be installed: ${peer.reason}`);
  const starts: Record<string, () => Promise<Target>> = {
    flint: () => startFlintTarget({ params, sources, cleanup }),
    ...(values['without-warm-up'] ? { 'flint, no warm-up': () => withEnv({ FLINT_WARM_UP_INVOKES: '0' }, () => startFlintTarget({ params, sources, cleanup })) } : {}),
    peer: () => startPeerTarget({ versions: peer.versions, sources, coldSamples: params.coldSamples, holdMs: params.memoryHoldMs, settleMs: params.memorySettleMs, cleanup }),
  };
  const names = Object.keys(starts);
  const results: Record<string, number[][]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const name of round % 2 === 1 ? names : [...names].reverse()) {
      progress.step(`round ${round}/${ROUNDS} · ${name}`);
      const target = await starts[name]!();
      try {
        results[name]!.push(await curve(target));
      } finally {
        await target.stop();
      }
    }
  }
  const blocks = EDGES.slice(1).map((end, i) => `${EDGES[i]! + 1}-${end}`);
  process.stdout.write(`\nWarm invoke p50 (ms) by block of invokes of a fresh server, median of ${ROUNDS} rounds [min-max]\n\n`);
  process.stdout.write(`| invokes | ${blocks.join(' | ')} |\n|---|${blocks.map(() => '---|').join('')}\n`);
  for (const name of names) {
    const cells = blocks.map((_, b) => {
      const v = results[name]!.map((r) => r[b]!);
      return `${median(v).toFixed(2)} [${Math.min(...v).toFixed(2)}-${Math.max(...v).toFixed(2)}]`;
    });
    process.stdout.write(`| ${name} | ${cells.join(' | ')} |\n`);
  }
  const ratios = blocks.map((_, b) => (median(results['flint']!.map((r) => r[b]!)) / median(results['peer']!.map((r) => r[b]!))).toFixed(2));
  process.stdout.write(`| Flint/peer | ${ratios.map((r) => `${r}x`).join(' | ')} |\n`);
  const p99s = names.map((name) => `${name} ${median(results[name]!.map((r) => r[blocks.length]!)).toFixed(2)}`);
  process.stdout.write(`\np99 of invokes ${EDGES[2]! + 1}-${EDGES[3]} (median of rounds): ${p99s.join(', ')} ms\n`);
} finally {
  await cleanup.runAll();
}

/** Starts a target with these variables in the environment its processes inherit. */
async function withEnv<T>(env: Record<string, string>, start: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await start();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
