/**
 * Where a warm invoke's CPU goes, under load: Flint (`flint serve`, all-in-one) runs under
 * `node --cpu-prof`; autocannon (in this process, a raw keep-alive HTTP client) keeps C
 * connections invoking a warm hello function (1769 MB: a whole CPU each, so nothing is throttled)
 * for S seconds. Over that window it reads the CPU time of each party and divides by the invokes:
 *
 * - Flint's process (utime/stime from /proc), split by its V8 profile's self time into the
 *   components (src/<component>/), the HTTP stack (node:http, fastify, its parser), logging (pino),
 *   the AWS model code, GC and the rest;
 * - the sandboxes (their cpuacct cgroups, user and system: the runtime client, the handler, and the
 *   kernel work done on their behalf);
 * - the load generator (this process);
 * - the whole machine (/proc/stat), and `perf stat`'s context switches per invoke.
 *
 *   node_modules/.bin/node bench/invoke-profile.ts [--connections 32] [--seconds 10] [--out DIR]
 *
 * Root and the namespace sandbox driver (cgroup v1 or v2) are needed for the sandbox rows.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { CreateFunctionCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { removeDataDir, startFlintProcess } from '../test/helpers/flint-process.ts';
import { nodeHandlerZip } from '../test/helpers/zip.ts';
import { fmt } from './lib/stats.ts';
import { warmInvokeUrl } from './lib/timed-load.ts';

const { values } = parseArgs({ options: { connections: { type: 'string', default: '32' }, seconds: { type: 'string', default: '10' }, out: { type: 'string' } } });
const CONNECTIONS = Number(values.connections);
const SECONDS = Number(values.seconds);
const OUT = values.out ?? mkdtempSync(join(tmpdir(), 'flint-invoke-profile-'));
mkdirSync(OUT, { recursive: true });
const TICK_US = 1e6 / 100; // USER_HZ
const HELLO = `exports.handler = async (event) => ({ hello: 'world', event });`;

/** User and system CPU of a process, µs. */
function processCpu(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(f[11]) * TICK_US, system: Number(f[12]) * TICK_US };
}

/** The whole machine's busy time (all but idle and iowait), µs. */
function machineBusyUs(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = f;
  return (user! + nice! + system! + irq! + softirq! + steal!) * TICK_US;
}

/** Every process below `root` (by PPid). */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const ppid = /PPid:\s+(\d+)/.exec(readFileSync(`/proc/${name}/status`, 'utf8'))?.[1];
      if (ppid !== undefined) parent.set(Number(name), Number(ppid));
    } catch {
      // ended while reading
    }
  }
  const out: number[] = [];
  for (const pid of parent.keys()) {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) {
      if (p === root) {
        out.push(pid);
        break;
      }
    }
  }
  return out;
}

/** The cpuacct groups (v1) or cgroup directories (v2) Flint's sandboxes run in. */
function sandboxGroups(flintPid: number): string[] {
  const groups = new Set<string>();
  for (const pid of descendants(flintPid)) {
    try {
      for (const line of readFileSync(`/proc/${pid}/cgroup`, 'utf8').trim().split('\n')) {
        const [, controllers, path] = line.split(':');
        if (!path?.includes('flint-')) continue;
        if (controllers!.split(',').includes('cpuacct')) groups.add(`/sys/fs/cgroup/cpuacct${path}`);
        else if (controllers === '') groups.add(`/sys/fs/cgroup${path}`);
      }
    } catch {
      // ended while reading
    }
  }
  return [...groups];
}

/** User and system CPU of the groups, µs. */
function groupsCpu(dirs: readonly string[]): { user: number; system: number } {
  let user = 0;
  let system = 0;
  for (const dir of dirs) {
    try {
      if (existsSync(`${dir}/cpuacct.usage_user`)) {
        user += Number(readFileSync(`${dir}/cpuacct.usage_user`, 'utf8')) / 1000;
        system += Number(readFileSync(`${dir}/cpuacct.usage_sys`, 'utf8')) / 1000;
      } else {
        const stat = readFileSync(`${dir}/cpu.stat`, 'utf8');
        user += Number(/user_usec (\d+)/.exec(stat)?.[1] ?? 0);
        system += Number(/system_usec (\d+)/.exec(stat)?.[1] ?? 0);
      }
    } catch {
      // a group removed while reading
    }
  }
  return { user, system };
}

/** Runs autocannon against `url`; the number of 2xx answers. */
async function load(url: string, seconds: number): Promise<number> {
  const r = await autocannon({ url, method: 'POST', body: '{}', headers: { 'content-type': 'application/json' }, connections: CONNECTIONS, pipelining: 1, duration: seconds });
  if (r.errors + r.timeouts + r.non2xx > 0) throw new Error(`${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx`);
  return r.requests.total;
}

/** Context switches on the whole machine while `fn` runs (perf stat), or undefined without perf. */
async function contextSwitches<T>(fn: () => Promise<T>): Promise<{ result: T; switches: number | undefined }> {
  if (!existsSync('/usr/bin/perf')) return { result: await fn(), switches: undefined };
  const perf = spawn('/usr/bin/perf', ['stat', '-a', '-x', ',', '-e', 'context-switches'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  perf.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  await new Promise((r) => setTimeout(r, 200));
  const result = await fn();
  const exited = new Promise((r) => perf.once('exit', r));
  perf.kill('SIGINT');
  await exited;
  const n = Number(/^(\d+),/m.exec(err)?.[1]);
  return { result, switches: Number.isFinite(n) ? n : undefined };
}

/** Which bucket a profile node's self time goes to. */
function bucketOf(url: string, fn: string): string {
  if (url === '') return fn === '(garbage collector)' ? 'GC' : fn === '(idle)' ? '(idle)' : fn === '(program)' ? 'V8 / native (program)' : 'native';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg !== undefined) {
    if (pkg === 'fastify' || pkg.startsWith('@fastify') || pkg === 'find-my-way' || pkg === 'light-my-request' || pkg === 'avvio') return 'HTTP framework (fastify)';
    if (pkg === 'pino' || pkg.startsWith('pino-') || pkg === 'sonic-boom' || pkg === 'thread-stream') return 'logging (pino)';
    if (pkg === 'zod') return 'validation (zod)';
    return `package ${pkg}`;
  }
  if (url.startsWith('node:')) {
    if (/_http_|http\b|http_parser|llhttp/.test(url)) return 'node:http';
    if (/net|stream|tcp|socket/.test(url)) return 'node:net + streams';
    return 'node: other';
  }
  const component = /\/src\/([^/]+)\//.exec(url)?.[1];
  return component !== undefined ? `Flint src/${component}` : 'other';
}

/** Now on the monotonic clock V8's profiles are stamped with (CLOCK_MONOTONIC), µs. */
const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

/** The self time of the samples taken within [fromUs, toUs] (monotonic µs), by bucket. */
function profileBuckets(file: string, fromUs: number, toUs: number): Map<string, number> {
  const p = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Array<{ id: number; callFrame: { functionName: string; url: string } }>; startTime: number; samples: number[]; timeDeltas: number[] };
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const out = new Map<string, number>();
  let at = p.startTime;
  p.samples.forEach((id, i) => {
    const delta = p.timeDeltas[i] ?? 0;
    at += delta;
    if (at < fromUs || at > toUs) return;
    const n = byId.get(id)!;
    const b = bucketOf(n.callFrame.url, n.callFrame.functionName);
    out.set(b, (out.get(b) ?? 0) + delta);
  });
  return out;
}

const profileDir = mkdtempSync(join(OUT, 'flint-'));
const flint = await startFlintProcess({ args: ['--host-memory-budget-mb', '200000'], env: { FLINT_LOG_LEVEL: 'warn', NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir} --cpu-prof-interval=200` } });
let report = '';
try {
  const client = flint.client();
  const name = `profile-${Date.now()}`;
  await client.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/bench', MemorySize: 1769, Code: { ZipFile: await nodeHandlerZip(HELLO) } }));
  await waitUntilFunctionActiveV2({ client, maxWaitTime: 30, minDelay: 1 }, { FunctionName: name });
  const url = `${flint.endpoint}/2015-03-31/functions/${name}/invocations`;
  const pid = flint.child.pid!;
  // Warm up until a round starts no sandbox: cold starts (spawns, runtime start-up) must stay out of the
  // window. Closed loops that finish every request: autocannon's end abandons the requests in flight,
  // and those still waiting for a cold start would start sandboxes nobody needs.
  let groups = sandboxGroups(pid);
  for (let round = 0; round < 6; round++) {
    await warmInvokeUrl(url, CONNECTIONS, 50);
    const now = sandboxGroups(pid);
    if (round > 0 && now.length === groups.length) break;
    groups = now;
  }
  const before = { flint: processCpu(pid), sandboxes: groupsCpu(groups), self: process.cpuUsage(), machine: machineBusyUs(), at: performance.now(), monotonicUs: monotonicUs() };
  const { result: invokes, switches } = await contextSwitches(() => load(url, SECONDS));
  const after = { flint: processCpu(pid), sandboxes: groupsCpu(groups), self: process.cpuUsage(before.self), machine: machineBusyUs(), at: performance.now(), monotonicUs: monotonicUs() };
  const per = (us: number) => fmt(us / invokes, 0);
  const flintUser = after.flint.user - before.flint.user;
  const flintSystem = after.flint.system - before.flint.system;
  const sbUser = after.sandboxes.user - before.sandboxes.user;
  const sbSystem = after.sandboxes.system - before.sandboxes.system;
  const machine = after.machine - before.machine;
  const accounted = flintUser + flintSystem + sbUser + sbSystem + after.self.user + after.self.system;
  const wallS = (after.at - before.at) / 1000;
  report += `Warm hello invokes at concurrency ${CONNECTIONS} (autocannon, raw HTTP), ${SECONDS} s: ${invokes} invokes, ${fmt(invokes / wallS, 0)}/s, ${groups.length} sandbox group(s)\n\n`;
  report += '| where | µs CPU per invoke |\n|---|---|\n';
  report += `| Flint process, user | ${per(flintUser)} |\n| Flint process, system (kernel on its behalf) | ${per(flintSystem)} |\n`;
  report += `| sandboxes, user (runtime client + handler) | ${per(sbUser)} |\n| sandboxes, system | ${per(sbSystem)} |\n`;
  report += `| load generator (this process) | ${per(after.self.user + after.self.system)} |\n`;
  report += `| rest of the machine (other processes, interrupts) | ${per(machine - accounted)} |\n| whole machine | ${per(machine)} |\n`;
  if (switches !== undefined) report += `| context switches per invoke (whole machine) | ${fmt(switches / invokes, 1)} |\n`;
  report += '\n';
  await flint.stop();
  const profile = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(profileDir, f));
  const buckets = new Map<string, number>();
  for (const file of profile) for (const [b, us] of profileBuckets(file, before.monotonicUs, after.monotonicUs)) buckets.set(b, (buckets.get(b) ?? 0) + us);
  buckets.delete('(idle)');
  const busy = [...buckets.values()].reduce((a, b) => a + b, 0);
  report += `Flint process's busy time by where it was spent (V8 self time of the samples taken during the measured window; the share applied to Flint's ${per(flintUser + flintSystem)} µs per invoke):\n\n| bucket | share | ≈ µs per invoke |\n|---|---|---|\n`;
  for (const [b, us] of [...buckets].sort((x, y) => y[1] - x[1]).slice(0, 20)) {
    report += `| ${b} | ${fmt((100 * us) / busy, 1)} % | ${per(((flintUser + flintSystem) * us) / busy)} |\n`;
  }
  report += `\nProfiles: ${profile.join(' ')} (rank functions with node bench/lib/profile-summary.ts)\n`;
  process.stdout.write(report);
} finally {
  await flint.stop();
  removeDataDir(flint.dataDir);
}
