/**
 * Tail latency of a small function (issue 16, item 7): sequential warm invokes of
 * a hello handler, one at a time, at 128 MB (7 % of a vCPU) and at 1769 MB (one
 * vCPU), through @aws-sdk/client-lambda. A sandbox that has used its CPU quota
 * waits for the next CFS period; docs/data-plane.md has the periods measured.
 *
 *   node_modules/.bin/node bench/small-function-tail.ts [--quick] [--memory MB]
 *
 * Two rhythms per memory size: back to back (the next invoke as soon as the last one
 * answers: a 128 MB function then needs more CPU than its share, so the period sets
 * how the waiting is spread), and sporadic (one invoke every SPORADIC_GAP_MS: the
 * share is not exhausted, and a quota smaller than one invoke's CPU shows as latency).
 *
 * Prints p50 / p90 / p99 / max and the share of invokes over 20 ms per memory size and
 * rhythm and, from the function's cpu cgroup (v1, root only), the time each invoke was
 * throttled (cpu.stat throttled_time around it, summed over the CPUs' run queues), the
 * CFS period and quota, the CPU time per invoke and the share of periods in which it was
 * throttled: figures the machine's load changes less than wall-clock latencies.
 *
 * What bounds the 128 MB back-to-back p99: the function asks for more CPU than its share
 * (~0.5 ms per invoke with the hand-written Runtime API client, ~0.8-1 ms before), so one
 * invoke per quota's worth of invokes waits out the rest of the period; a p99 under 20 ms
 * would need under ~0.1 ms of CPU per invoke. bench/runtime-client-cpu.ts measures the
 * runtime client's share of it without a sandbox.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateFunctionCommand, InvokeCommand, waitUntilFunctionActiveV2, type LambdaClient } from '@aws-sdk/client-lambda';
import { removeDataDir, startFlintProcess } from '../test/helpers/flint-process.ts';
import { nodeHandlerZip } from '../test/helpers/zip.ts';
import { fmt, summarize, type Summary } from './lib/stats.ts';

const quick = process.argv.includes('--quick');
const N = quick ? 300 : 2000;
const SPORADIC_N = quick ? 50 : 300;
const SPORADIC_GAP_MS = 50;
const WARMUP = 50;
const memoryArg = process.argv.indexOf('--memory');
const MEMORY_SIZES_MB = memoryArg > 0 ? [Number(process.argv[memoryArg + 1])] : [128, 1769];
const ROLE = 'arn:aws:iam::000000000000:role/bench';
const HELLO = `exports.handler = async (event) => ({ hello: 'world', event });`;
const CPU_ROOT = '/sys/fs/cgroup/cpu';
const CPUACCT_ROOT = '/sys/fs/cgroup/cpuacct';

interface CpuFigures {
  readonly periodUs: number;
  readonly quotaUs: number;
  readonly usageNs: number;
  readonly periods: number;
  readonly throttled: number;
}

/** The cpu figures of every Flint sandbox group on the machine (cgroup v1 only). */
function sandboxGroups(): Map<string, CpuFigures> {
  const out = new Map<string, CpuFigures>();
  if (!existsSync(CPU_ROOT)) return out;
  const read = (dir: string, file: string) => readFileSync(`${dir}/${file}`, 'utf8');
  for (const instance of readdirSync(CPU_ROOT).filter((n) => n.startsWith('flint-'))) {
    for (const id of readdirSync(`${CPU_ROOT}/${instance}`, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)) {
      const dir = `${CPU_ROOT}/${instance}/${id}`;
      try {
        const stat = Object.fromEntries(read(dir, 'cpu.stat').trim().split('\n').map((l) => l.split(' ')).map(([k, v]) => [k, Number(v)]));
        out.set(dir, {
          periodUs: Number(read(dir, 'cpu.cfs_period_us')),
          quotaUs: Number(read(dir, 'cpu.cfs_quota_us')),
          usageNs: Number(read(existsSync(`${dir}/cpuacct.usage`) ? dir : `${CPUACCT_ROOT}/${instance}/${id}`, 'cpuacct.usage')),
          periods: stat.nr_periods ?? 0,
          throttled: stat.nr_throttled ?? 0,
        });
      } catch {
        // a group removed while reading
      }
    }
  }
  return out;
}

/**
 * The sandbox that ran the invokes: of the groups with this memory size's CPU share
 * (other instances may run beside), the one whose CPU time grew most.
 */
function cpuLine(before: Map<string, CpuFigures>, after: Map<string, CpuFigures>, invokes: number, memoryMb: number): string {
  let best: { a: CpuFigures; b: CpuFigures | undefined } | undefined;
  for (const [dir, a] of after) {
    if (Math.abs(a.quotaUs / a.periodUs - memoryMb / 1769) > 0.01) continue;
    const b = before.get(dir);
    if (!best || a.usageNs - (b?.usageNs ?? 0) > best.a.usageNs - (best.b?.usageNs ?? 0)) best = { a, b };
  }
  if (!best) return 'no cgroup v1 cpu figures';
  const { a, b } = best;
  const periods = a.periods - (b?.periods ?? 0);
  const throttled = a.throttled - (b?.throttled ?? 0);
  return `period ${fmt(a.periodUs / 1000)} ms, quota ${fmt(a.quotaUs / 1000)} ms, ${fmt((a.usageNs - (b?.usageNs ?? 0)) / invokes / 1e6, 3)} ms CPU per invoke, throttled in ${throttled} of ${periods} periods`;
}

interface Rhythm {
  readonly label: string;
  readonly invokes: number;
  readonly gapMs: number;
}
const RHYTHMS: readonly Rhythm[] = [
  { label: 'back to back', invokes: N, gapMs: 0 },
  { label: `sporadic (every ${SPORADIC_GAP_MS} ms)`, invokes: SPORADIC_N, gapMs: SPORADIC_GAP_MS },
];

/** The function's cpu group: of those with this memory size's share, the one whose CPU time grows while `run` invokes it. */
async function groupOf(memoryMb: number, run: () => Promise<void>): Promise<string | undefined> {
  const before = sandboxGroups();
  await run();
  let best: [string, number] | undefined;
  for (const [dir, a] of sandboxGroups()) {
    if (Math.abs(a.quotaUs / a.periodUs - memoryMb / 1769) > 0.01) continue;
    const grown = a.usageNs - (before.get(dir)?.usageNs ?? 0);
    if (!best || grown > best[1]) best = [dir, grown];
  }
  return best?.[0];
}

/** Time the group's run queues spent throttled so far, ms (cpu.stat throttled_time). */
function throttledMs(dir: string | undefined): number {
  if (dir === undefined) return 0;
  try {
    return Number(/throttled_time (\d+)/.exec(readFileSync(`${dir}/cpu.stat`, 'utf8'))?.[1] ?? 0) / 1e6;
  } catch {
    return 0;
  }
}

interface Measured {
  readonly latency: Summary;
  /** Share of invokes that took over 20 ms. */
  readonly over20: number;
  /** Per invoke, the time the sandbox was throttled while it ran. */
  readonly throttled: Summary;
  readonly cpu: string;
}

async function measure(client: LambdaClient, memoryMb: number, rhythm: Rhythm): Promise<Measured> {
  const name = `tail-${memoryMb}-${Date.now()}`;
  await client.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, MemorySize: memoryMb, Code: { ZipFile: await nodeHandlerZip(HELLO) } }));
  await waitUntilFunctionActiveV2({ client, maxWaitTime: 30, minDelay: 1 }, { FunctionName: name });
  const invoke = () => client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{"n":1}') }));
  const group = await groupOf(memoryMb, async () => {
    for (let i = 0; i < WARMUP; i++) await invoke();
  });
  const before = sandboxGroups();
  const latencies: number[] = [];
  const throttled: number[] = [];
  for (let i = 0; i < rhythm.invokes; i++) {
    if (rhythm.gapMs > 0) await sleep(rhythm.gapMs);
    const throttledBefore = throttledMs(group);
    const started = performance.now();
    await invoke();
    latencies.push(performance.now() - started);
    throttled.push(throttledMs(group) - throttledBefore);
  }
  const over20 = latencies.filter((ms) => ms > 20).length / latencies.length;
  return { latency: summarize(latencies), over20, throttled: summarize(throttled), cpu: cpuLine(before, sandboxGroups(), rhythm.invokes, memoryMb) };
}

const flint = await startFlintProcess({ env: { FLINT_LOG_LEVEL: 'warn' } });
try {
  const client = flint.client();
  const rows: string[] = [];
  for (const memoryMb of MEMORY_SIZES_MB) {
    for (const rhythm of RHYTHMS) {
      const { latency: s, over20, throttled: t, cpu } = await measure(client, memoryMb, rhythm);
      rows.push(`| ${memoryMb} MB | ${rhythm.label} | ${fmt(s.p50)} | ${fmt(s.p90)} | ${fmt(s.p99)} | ${fmt(s.max)} | ${fmt(over20 * 100, 1)} % | ${fmt(t.p90)} / ${fmt(t.p99)} / ${fmt(t.max)} | ${s.n} | ${cpu} |`);
    }
  }
  const title = `Small-function tail latency (${quick ? 'quick' : 'full'}): sequential warm invokes of a hello handler, ms`;
  process.stdout.write([title, '', '| memory | rhythm | p50 | p90 | p99 | max | > 20 ms | throttled p90 / p99 / max | n | sandbox cpu |', '|---|---|---|---|---|---|---|---|---|---|', ...rows, ''].join('\n'));
} finally {
  await flint.stop();
  removeDataDir(flint.dataDir);
}
