/**
 * The first invocations of a Node.js runtime cell, by how it was specialised:
 *
 * - "waited in the pool": specialised 1.5 s after it started, so its warm-up ran while it waited
 *   (the probe handler, the preloaded built-ins and the rehearsed invocations, at the lowest CPU
 *   weight in a sandbox);
 * - "specialised at once": the specialization was there when it asked, as for a cell started for a
 *   waiting cold start, which warms nothing up.
 *
 * The client runs as a plain child process against the real Runtime API server (as in
 * bench/runtime-client-cpu.ts); its CPU (every thread, /proc schedstat) is read around the first
 * invocation after the specialization and over blocks of the invocations after it. Medians over
 * the rounds (the first round is dropped: it warms this process's own side up).
 *
 * `--handler signing` runs a handler that does what a function calling AWS does on each invocation
 * (an invocation id, a SHA-256 hash and an HMAC, as the SDK's request signing does) instead of
 * the plain hello.
 *
 *   node_modules/.bin/node bench/pool-cell-first-invokes.ts [--rounds 7] [--runtime nodejs24.x] [--handler hello|signing] [--node-option=--flag ...]
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { RuntimeApiServer } from '../src/worker-host/runtime-api/index.ts';
import { startFunction } from '../test/runtime/runtime-harness.ts';
import { threadsRunNs } from './lib/proc-cpu.ts';
import { fmt, median } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    runtime: { type: 'string', default: 'nodejs24.x' },
    handler: { type: 'string', default: 'hello' },
    'node-option': { type: 'string', multiple: true, default: [] },
  },
});
const ROUNDS = Number(values.rounds);
const WAIT_MS = 1500;
const HANDLERS: Record<string, string> = {
  hello: `exports.handler = async (event) => ({ hello: 'world', event });`,
  signing: `const { createHash, createHmac, randomUUID } = require('node:crypto');
exports.handler = async (event) => {
  const id = randomUUID();
  const payload = createHash('sha256').update(JSON.stringify(event)).digest('hex');
  const signature = createHmac('sha256', 'secret').update(id + payload).digest('hex');
  return { id, signature };
};`,
};
const HANDLER: string = HANDLERS[values.handler] ?? fail(`--handler: one of ${Object.keys(HANDLERS).join(', ')}`);
function fail(message: string): never {
  throw new Error(message);
}
/** Invocation numbers (from 1) ending each block after the first invocation. */
const BLOCK_ENDS = [10, 50, 300];

type Variant = 'waited in the pool' | 'specialised at once';
interface Sample { firstWallMs: number | undefined; firstCpuMs: number | undefined; blockUs: number[] }

async function sample(server: RuntimeApiServer, variant: Variant): Promise<Sample> {
  const waited = variant === 'waited in the pool';
  const fn = await startFunction({ server, runtime: values.runtime, handler: 'index.handler', files: { 'index.js': HANDLER }, deferSpecialize: waited, nodeOptions: values['node-option'] });
  try {
    const pid = fn.child.pid!;
    if (waited) await sleep(WAIT_MS);
    const cpu0 = threadsRunNs(pid);
    const t0 = performance.now();
    if (waited) fn.specialize();
    await fn.invoke({});
    const firstWallMs = performance.now() - t0;
    let mark = threadsRunNs(pid);
    const firstCpuMs = (mark - cpu0) / 1e6;
    const blockUs: number[] = [];
    let from = 1;
    for (const end of BLOCK_ENDS) {
      for (let i = from; i < end; i++) await fn.invoke({ i });
      const now = threadsRunNs(pid);
      blockUs.push((now - mark) / 1e3 / (end - from));
      mark = now;
      from = end;
    }
    // a cell specialised at once started its process inside the first invocation's window
    return waited ? { firstWallMs, firstCpuMs, blockUs } : { firstWallMs: undefined, firstCpuMs: undefined, blockUs };
  } finally {
    await fn.close();
  }
}

const server = new RuntimeApiServer();
const variants: Variant[] = ['waited in the pool', 'specialised at once'];
const samples = new Map<Variant, Sample[]>(variants.map((v) => [v, []]));
for (let round = 0; round <= ROUNDS; round++) {
  for (const v of round % 2 === 0 ? variants : [...variants].reverse()) {
    const s = await sample(server, v);
    if (round > 0) samples.get(v)!.push(s);
  }
}
const blocks = BLOCK_ENDS.map((end, i) => `${(BLOCK_ENDS[i - 1] ?? 1) + 1}-${end}`);
process.stdout.write(`\nFirst invocations of a ${values.runtime} cell, ${values.handler} handler (runtime client + handler, every thread), median of ${ROUNDS} rounds\n\n`);
process.stdout.write(`| cell | first invocation, wall ms | first invocation, CPU ms | ${blocks.map((b) => `µs CPU per invoke ${b}`).join(' | ')} |\n|---|---|---|${blocks.map(() => '---|').join('')}\n`);
for (const v of variants) {
  const s = samples.get(v)!;
  const first = (pick: (x: Sample) => number | undefined) => (pick(s[0]!) === undefined ? 'n/a' : fmt(median(s.map((x) => pick(x)!)), 2));
  const cells = blocks.map((_, b) => fmt(median(s.map((x) => x.blockUs[b]!)), 0));
  process.stdout.write(`| ${v} | ${first((x) => x.firstWallMs)} | ${first((x) => x.firstCpuMs)} | ${cells.join(' | ')} |\n`);
}
