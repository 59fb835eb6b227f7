/**
 * Runtime API benchmark: warm invoke round trip (session.invoke -> /next -> handler -> /response ->
 * outcome) through the real Runtime API server and the real runtime clients, run as plain child
 * processes (no sandbox), against a bare in-process call of the same handler as baseline.
 * Also: a pre-started cell's specialization to its first answer.
 *
 * Run: node_modules/.bin/node bench/runtime-api.ts [iterations=2000]
 */
import { RuntimeApiServer } from '../src/worker-host/runtime-api/index.ts';
import { startFunction } from '../test/runtime/runtime-harness.ts';

const iterations = Number(process.argv[2] ?? 2000);
const warmup = Math.min(200, Math.floor(iterations / 10));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summarize(samples: number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

async function measure(fn: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return summarize(samples);
}

const event = { key1: 'value1', key2: 'value2' };
const rows: Array<[string, { p50: number; p99: number }]> = [];

// Baseline: the same work without the Runtime API: serialize the event, call the handler, serialize the result.
const handler = async (e: unknown) => ({ ok: true, e });
rows.push(['bare in-process call (baseline)', await measure(async () => {
  const parsed = JSON.parse(JSON.stringify(event));
  return Buffer.from(JSON.stringify(await handler(parsed)));
})]);

const server = new RuntimeApiServer();
const functions: Array<[string, string, Record<string, string>, string]> = [
  ['nodejs20.x', 'index.handler', { 'index.js': 'exports.handler = async (e) => ({ ok: true, e });' }, 'node 20'],
  ['nodejs22.x', 'index.handler', { 'index.js': 'exports.handler = async (e) => ({ ok: true, e });' }, 'node 22'],
  ['nodejs24.x', 'index.handler', { 'index.js': 'exports.handler = async (e) => ({ ok: true, e });' }, 'node 24'],
  ['python3.12', 'app.handler', { 'app.py': 'def handler(e, ctx):\n    return {"ok": True, "e": e}\n' }, 'python3'],
];
const specializeRows: Array<[string, number[]]> = [];
for (const [runtime, handlerName, files, label] of functions) {
  const startupSamples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const cell = await startFunction({ server, runtime, handler: handlerName, files, deferSpecialize: true });
    await new Promise((resolve) => setTimeout(resolve, 300)); // let the cell warm up and park on /flint/specialize
    const t0 = performance.now();
    cell.specialize();
    await cell.invoke(event);
    startupSamples.push(performance.now() - t0);
    await cell.close();
  }
  specializeRows.push([label, startupSamples]);
  const fn = await startFunction({ server, runtime, handler: handlerName, files });
  await fn.session.ready();
  rows.push([`${label} warm invoke via Runtime API`, await measure(() => fn.invoke(event))]);
  await fn.close();
}
await server.close();

const baseline = rows[0]![1].p50;
console.log(`Runtime API round trip, ${iterations} iterations after ${warmup} warm-up (ms)`);
console.log('| path | p50 | p99 | p50 vs baseline |');
console.log('|---|---|---|---|');
for (const [name, { p50, p99 }] of rows) {
  console.log(`| ${name} | ${p50.toFixed(3)} | ${p99.toFixed(3)} | ${(p50 / baseline).toFixed(0)}x |`);
}
console.log('\nPre-started cell: specialize() to first response, 5 cells each (ms)');
console.log('| runtime | median | min | max |');
console.log('|---|---|---|---|');
for (const [label, samples] of specializeRows) {
  const sorted = [...samples].sort((a, b) => a - b);
  console.log(`| ${label} | ${percentile(sorted, 50).toFixed(2)} | ${sorted[0]!.toFixed(2)} | ${sorted.at(-1)!.toFixed(2)} |`);
}
