/**
 * The focused benchmark scripts that live beside the suite under bench/ (owned by
 * the components they measure). `npm run bench` runs each once, as its own process,
 * and puts its output in the report as printed, so one command runs every benchmark.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { Cleanup } from '../lib/cleanup.ts';
import type { Progress } from '../lib/progress.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const TIMEOUT_MS = 180_000;

export interface ComponentBench {
  readonly script: string;
  readonly what: string;
  /** Arguments per mode; undefined: not run in that mode. */
  readonly args: { readonly full: readonly string[]; readonly quick?: readonly string[] };
}

export interface ComponentResult {
  readonly command: string;
  readonly what: string;
  /** Why it did not run, when it did not. */
  readonly skipped?: string;
  readonly exitCode?: number | null;
  readonly durationMs?: number;
  readonly output?: string;
}

export const COMPONENT_BENCHES: readonly ComponentBench[] = [
  { script: 'bench/sandbox-start.ts', what: 'namespace sandbox start, specialise, destroy and idle PSS through the sandbox driver, against bare node processes', args: { full: ['20', '10'], quick: ['3', '2'] } },
  { script: 'bench/runtime-api.ts', what: 'Runtime API round trip per runtime (no sandbox) against an in-process call; pre-started cell specialise to first answer', args: { full: ['1000'] } },
  { script: 'bench/invoke-latency.ts', what: 'the invoke hot path\'s own benchmark (warm latency, throughput at 32, cold starts, scale-up) against a baseline', args: { full: ['--quick'] } },
  { script: 'bench/code-store.ts', what: 'code store: extracting a 1000-file package, putting and getting a 10 MB package through the encrypted file store', args: { full: ['10'] } },
  { script: 'bench/async-throughput.ts', what: "async invoke on Flint's default pollers: 202 to handler start, against sync invokes, and a burst on one warm sandbox", args: { full: ['300', '8'] } },
  { script: 'bench/event-queue.ts', what: "the embedded store's share of an async event: CPU per event of the accept path's and the pollers' statements against a SQLite file", args: { full: [], quick: ['--events', '400', '--passes', '3'] } },
];

function runOne(script: string, args: readonly string[], cleanup: Cleanup): Promise<{ exitCode: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FLINT_LOG_LEVEL: 'warn' } });
    let output = '';
    const append = (d: Buffer) => (output += d.toString('utf8'));
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    const stop = cleanup.defer(`${script} pid ${child.pid}`, async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      void stop();
      done({ exitCode: code, output: output.trim() });
    });
  });
}

export async function runComponentBenches(mode: 'full' | 'quick', progress: Progress, cleanup: Cleanup): Promise<ComponentResult[]> {
  const out: ComponentResult[] = [];
  for (const b of COMPONENT_BENCHES) {
    const args = b.args[mode];
    const command = `node ${[b.script, ...(args ?? b.args.full)].join(' ')}`;
    if (args === undefined || cleanup.interrupted) {
      out.push({ command, what: b.what, skipped: cleanup.interrupted ? 'interrupted' : `not run in ${mode} mode` });
      continue;
    }
    progress.step(`component benchmark: ${command}`);
    const t = performance.now();
    const { exitCode, output } = await runOne(b.script, args, cleanup);
    out.push({ command, what: b.what, exitCode, durationMs: performance.now() - t, output });
    if (exitCode !== 0) progress.step(`  ${b.script} exited with ${exitCode}`);
  }
  return out;
}
