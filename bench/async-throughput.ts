/**
 * Async invoke benchmark on a warm function: accepted-to-executed throughput
 * (events/s from the first 202 to the last handler start) and latency from the
 * 202 to the handler's start (p50 / p99), against synchronous invokes of the
 * same function with the same client concurrency as the baseline (send to
 * handler start; requests/s). Handler start times come from the handler's own
 * log line (`T <epoch ms>`), read from the function's log group.
 *
 * A last row sends the same burst to a second function warmed by one invoke only
 * (one sandbox), as `npm run bench` does, and counts the sandboxes it ends with: how
 * the pollers add capacity when the backlog outgrows what is warm.
 *
 * Run: node_modules/.bin/node bench/async-throughput.ts [events=2000] [concurrency=16] [pollers=Flint's default]
 * (FLINT_SANDBOX_DRIVER=process where namespace sandboxes are unavailable.)
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import { removeDataDir, startFlintProcess } from '../test/helpers/flint-process.ts';
import { deployHandler, logMessages } from '../test/e2e/async-support.ts';

const events = Number(process.argv[2] ?? 2000);
const concurrency = Number(process.argv[3] ?? 16);
const pollers = process.argv[4];
const HANDLER = "exports.handler = async (e) => { console.log('T ' + Date.now()); return { n: e.n }; };";

interface Sample {
  readonly requestId: string;
  /** When the request was sent (sync) or its 202 arrived (async). */
  readonly fromMs: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** `n` invokes from `concurrency` workers; returns a sample per request that succeeded. */
async function drive(client: LambdaClient, fn: string, n: number, type: 'Event' | 'RequestResponse', offset: number, workers = concurrency): Promise<Sample[]> {
  const samples: Sample[] = [];
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const sent = Date.now();
      const out = await client.send(new InvokeCommand({ FunctionName: fn, InvocationType: type, Payload: Buffer.from(JSON.stringify({ n: offset + i })) }));
      samples.push({ requestId: out.$metadata.requestId!, fromMs: type === 'Event' ? Date.now() : sent });
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return samples;
}

/** Handler start time per request id, from the `T <ms>` lines of the function's log group. */
async function handlerStarts(dataDir: string, fn: string, want: number): Promise<Map<string, number>> {
  for (let tries = 0; ; tries++) {
    const starts = new Map<string, number>();
    for (const line of await logMessages(dataDir, fn)) {
      const m = /^\S+\t(\S+)\tINFO\tT (\d+)$/.exec(line);
      if (m) starts.set(m[1]!, Number(m[2]));
    }
    if (starts.size >= want || tries > 600) return starts;
    await sleep(100);
  }
}

function row(label: string, samples: readonly Sample[], starts: ReadonlyMap<string, number>) {
  const latencies = samples.map((s) => starts.get(s.requestId)! - s.fromMs).filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const first = Math.min(...samples.map((s) => s.fromMs));
  const last = Math.max(...samples.map((s) => starts.get(s.requestId) ?? 0));
  const perSecond = samples.length / ((last - first) / 1000);
  return { label, n: samples.length, perSecond, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

const flint = await startFlintProcess({ args: pollers === undefined ? [] : ['--async-pollers', pollers], env: { FLINT_LOG_LEVEL: 'warn' } });
try {
  const client = flint.client();
  const fn = await deployHandler(client, HANDLER, 'bench-async');
  await drive(client, fn, concurrency * 20, 'RequestResponse', -1_000_000); // warm: `concurrency` sandboxes
  const sync = await drive(client, fn, events, 'RequestResponse', 0);
  const acceptStart = Date.now();
  const async = await drive(client, fn, events, 'Event', events);
  const acceptedPerSecond = events / ((Math.max(...async.map((s) => s.fromMs)) - acceptStart) / 1000);
  await handlerStarts(flint.dataDir, fn, concurrency * 20 + 2 * events);
  const unloaded = await drive(client, fn, Math.min(events, 300), 'Event', 2 * events, 1);
  const starts = await handlerStarts(flint.dataDir, fn, concurrency * 20 + 2 * events + unloaded.length);
  const cold = await deployHandler(client, HANDLER, 'bench-async-burst');
  await drive(client, cold, 1, 'RequestResponse', -1, 1);
  const burst = await drive(client, cold, events, 'Event', 0);
  const burstStarts = await handlerStarts(flint.dataDir, cold, events + 1);
  const status = await fetch(`${flint.endpoint}/flint/status`).then((r) => r.json() as Promise<{ sandboxes: Array<{ function: string; idle: number; busy: number }> }>);
  const burstSandboxes = status.sandboxes.filter((s) => s.function === cold).reduce((n, s) => n + s.idle + s.busy, 0);
  const rows = [
    row('sync invoke (baseline): send -> handler start', sync, starts),
    row('async Event: 202 -> handler start', async, starts),
    row('async Event, 1 client: 202 -> handler start', unloaded, starts),
    row(`async burst on 1 warm sandbox (ends with ${burstSandboxes})`, burst, burstStarts),
  ];
  const pad = (s: string | number, w: number) => String(s).padStart(w);
  process.stdout.write(`\nasync throughput, ${events} events, ${concurrency} clients, ${pollers ?? 'default'} pollers, driver ${process.env.FLINT_SANDBOX_DRIVER ?? 'namespace'}\n\n`);
  process.stdout.write(`${'mode'.padEnd(48)}${pad('events', 8)}${pad('events/s', 11)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}\n`);
  for (const r of rows) process.stdout.write(`${r.label.padEnd(48)}${pad(r.n, 8)}${pad(r.perSecond.toFixed(0), 11)}${pad(r.p50, 9)}${pad(r.p99, 9)}\n`);
  process.stdout.write(`${'async / sync throughput'.padEnd(48)}${pad('', 8)}${pad(`${(rows[1]!.perSecond / rows[0]!.perSecond).toFixed(2)}x`, 11)}\n`);
  process.stdout.write(`${'async Event accepted (202s per second)'.padEnd(48)}${pad(events, 8)}${pad(acceptedPerSecond.toFixed(0), 11)}\n`);
} finally {
  await flint.stop();
  removeDataDir(flint.dataDir);
}
