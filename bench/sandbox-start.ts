/**
 * Namespace sandbox benchmark: start (spawn -> a trivial node script inside the
 * sandbox answers on its Runtime API address), specialize (code mounted read-only
 * at /var/task, limits written), destroy, and idle memory (PSS) per cell; with a
 * bare node process doing the same request, and a bare `node -e 0`, measured in the
 * same run as baselines.
 *
 * Run as root after scripts/setup-sandbox.sh:
 *   node_modules/.bin/node bench/sandbox-start.ts [iterations=20] [idleCells=10]
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NamespaceSandboxDriver } from '../src/worker-host/sandbox/namespace-sandbox-driver.ts';
import type { NamespaceSandbox } from '../src/worker-host/sandbox/namespace-sandbox.ts';
import type { RuntimeApiBinding } from '../src/worker-host/sandbox/sandbox-driver.ts';
import { listenOnBinding } from '../test/helpers/runtime-api-binding.ts';

const iterations = Number(process.argv[2] ?? 20);
const idleCells = Number(process.argv[3] ?? 10);
const NODE = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
const LIMITS = { memoryMb: 128, cpuMillis: 1000, pidsMax: 64, tmpSizeMb: 64 };

const scriptDir = mkdtempSync(`${tmpdir()}/flint-bench-runtime-`);
const codeDir = mkdtempSync(`${tmpdir()}/flint-bench-code-`);
writeFileSync(`${scriptDir}/cell.js`, "require('http').get(`http://${process.env.AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next`, (r) => r.resume());\nsetInterval(() => {}, 1 << 30);\n");
writeFileSync(`${codeDir}/index.js`, 'exports.handler = async () => 1;\n');
for (const d of [scriptDir, codeDir]) chmodSync(d, 0o755);

/** An HTTP server, where `binding` says (default: a port of 127.0.0.1), that resolves `first` at the first request. */
async function runtimeApiStub(binding: RuntimeApiBinding = { listenHost: '127.0.0.1' }): Promise<{ server: Server; address: string; first: Promise<number> }> {
  let onFirst!: (t: number) => void;
  const first = new Promise<number>((r) => (onFirst = r));
  const server = createServer((_req, res) => {
    onFirst(performance.now());
    res.end();
  });
  return { server, address: await listenOnBinding(server, binding), first };
}

function stats(samples: number[]): { p50: number; p90: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: s[Math.floor(s.length / 2)]!, p90: s[Math.min(s.length - 1, Math.floor(s.length * 0.9))]! };
}

function pssKb(pid: number): number {
  try {
    return Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

async function bareNode(args: string[], env: Record<string, string>): Promise<{ pid: number; exited: Promise<void>; kill: () => void }> {
  const child = spawn(NODE, args, { env, stdio: 'ignore' });
  await new Promise((r) => child.once('spawn', r));
  return { pid: child.pid!, exited: new Promise((r) => child.once('exit', () => r())), kill: () => child.kill('SIGKILL') };
}

const rows: Array<[string, { p50: number; p90: number } | string]> = [];

// baselines: node -e 0, and node answering on a loopback stub (no sandbox)
const bareExit: number[] = [];
const bareAnswer: number[] = [];
for (let i = 0; i < iterations; i++) {
  let t0 = performance.now();
  await (await bareNode(['-e', '0'], {})).exited;
  bareExit.push(performance.now() - t0);
  const stub = await runtimeApiStub();
  t0 = performance.now();
  const proc = await bareNode([`${scriptDir}/cell.js`], { AWS_LAMBDA_RUNTIME_API: stub.address });
  bareAnswer.push((await stub.first) - t0);
  proc.kill();
  await proc.exited;
  stub.server.close();
}
rows.push(['bare `node -e 0` spawn to exit (baseline)', stats(bareExit)]);
rows.push(['bare node spawn to first Runtime API request (baseline)', stats(bareAnswer)]);

const driver = await NamespaceSandboxDriver.open({ instanceName: 'bench', network: 'bridge', preparedNetworkSlots: 2 });
const cell = (id: string) => ({
  id,
  runtimeMounts: { '/var/lang/bin': dirname(NODE), '/var/runtime': scriptDir },
  command: ['/var/lang/bin/node', '/var/runtime/cell.js'],
  env: { PATH: '/var/lang/bin:/usr/bin:/bin', TZ: 'UTC' },
  limits: LIMITS,
});
async function startCell(id: string): Promise<{ box: NamespaceSandbox; server: Server; startedMs: number; answeredMs: number }> {
  let stub!: Awaited<ReturnType<typeof runtimeApiStub>>;
  const t0 = performance.now();
  const box = (await driver.start(cell(id), { bindRuntimeApi: async (b) => (stub = await runtimeApiStub(b)).address })) as NamespaceSandbox;
  const startedMs = performance.now() - t0;
  const answeredMs = (await stub.first) - t0;
  return { box, server: stub.server, startedMs, answeredMs };
}

const started: number[] = [];
const answered: number[] = [];
const specialized: number[] = [];
const destroyed: number[] = [];
await new Promise((r) => setTimeout(r, 300)); // prepared starts (network namespace, cgroups, the helper in both)
for (let i = 0; i < iterations; i++) {
  const c = await startCell(`bench${i}`);
  started.push(c.startedMs);
  answered.push(c.answeredMs);
  await new Promise((r) => setTimeout(r, 50)); // as in a pool: the cell is idle when it is claimed
  let t0 = performance.now();
  await c.box.specialize({ codeDir }, { ...LIMITS, memoryMb: 256 });
  specialized.push(performance.now() - t0);
  t0 = performance.now();
  await c.box.destroy();
  destroyed.push(performance.now() - t0);
  c.server.close();
}
rows.push(['sandbox start: driver.start() resolved (from a prepared start: bubblewrap\'s namespaces, runtime exec\'d)', stats(started)]);
rows.push(['sandbox start: spawn to first Runtime API request from node inside', stats(answered)]);
rows.push(['specialize: read-only code at /var/task + new limits', stats(specialized)]);
rows.push(['destroy: processes reaped, cgroups removed, network slot recycled', stats(destroyed)]);

// idle memory: cells started together, settled, then PSS of every process of each cell
const cells = [];
for (let i = 0; i < idleCells; i++) cells.push(await startCell(`idle${i}`));
await new Promise((r) => setTimeout(r, 1000));
const cellPss = cells.map((c) => c.box.pids().reduce((sum, pid) => sum + pssKb(pid), 0) / 1024);
const runtimePss = cells.map((c) => Math.max(...c.box.pids().map(pssKb)) / 1024);
const bare = [];
for (let i = 0; i < idleCells; i++) {
  const stub = await runtimeApiStub();
  bare.push({ proc: await bareNode([`${scriptDir}/cell.js`], { AWS_LAMBDA_RUNTIME_API: stub.address }), stub });
  await stub.first;
}
await new Promise((r) => setTimeout(r, 1000));
const barePss = bare.map((b) => pssKb(b.proc.pid) / 1024);
rows.push([`idle PSS per bare node process, ${idleCells} running (baseline), MiB`, stats(barePss)]);
rows.push([`idle PSS per sandbox cell (all its processes), ${idleCells} running, MiB`, stats(cellPss)]);
rows.push(['  of which the node runtime, MiB', stats(runtimePss)]);
for (const b of bare) {
  b.proc.kill();
  b.stub.server.close();
}
await Promise.all(cells.map(async (c) => (await c.box.destroy(), c.server.close())));
await driver.close();
for (const d of [scriptDir, codeDir]) rmSync(d, { recursive: true, force: true });

const width = Math.max(...rows.map(([name]) => name.length));
console.log(`\nnamespace sandbox (${iterations} iterations; times in ms unless noted)\n`);
console.log(`${'measure'.padEnd(width)}   p50       p90`);
for (const [name, value] of rows) {
  if (typeof value === 'string') console.log(`${name.padEnd(width)}   ${value}`);
  else console.log(`${name.padEnd(width)}   ${value.p50.toFixed(2).padStart(7)}   ${value.p90.toFixed(2).padStart(7)}`);
}
const ratio = stats(answered).p50 / stats(bareAnswer).p50;
console.log(`\nsandboxed start / bare node start (p50): ${ratio.toFixed(2)}x`);
