/**
 * Invoke benchmark (issues 3 and 4): warm invoke latency at concurrency 1 and
 * throughput at concurrency 32 through @aws-sdk/client-lambda, against a baseline
 * measured in the same run (a plain Node HTTP server calling the same handler
 * in-process, driven by the same client); cold starts with and without the
 * pre-started pool; time to scale one function from 0 to 50 sandboxes.
 *
 *   node_modules/.bin/node bench/invoke-latency.ts [--quick]
 *
 * Flint runs as its own process (`flint serve`); load comes from this process.
 */
import { CreateFunctionCommand, InvokeCommand, UpdateFunctionConfigurationCommand, waitUntilFunctionActiveV2, waitUntilFunctionUpdatedV2, type LambdaClient } from '@aws-sdk/client-lambda';
import { lambdaClient, removeDataDir, startFlintProcess, type FlintProcess } from '../test/helpers/flint-process.ts';
import { nodeHandlerZip } from '../test/helpers/zip.ts';
import { startBaseline } from './lib/baseline-server.ts';
import { fmt, load, summarize, type Summary } from './lib/stats.ts';

const quick = process.argv.includes('--quick');
const WARM_N = quick ? 100 : 1000;
const THROUGHPUT_N = quick ? 300 : 5000;
const COLD_N = quick ? 4 : 20;
const SCALE_TO = quick ? 10 : 50;
const ROLE = 'arn:aws:iam::000000000000:role/bench';
const HELLO = `exports.handler = async (event) => ({ hello: 'world', event });`;

async function createFn(client: LambdaClient, name: string, source: string, memory = 1769): Promise<void> {
  await client.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, MemorySize: memory, Timeout: 30, Code: { ZipFile: await nodeHandlerZip(source) } }));
  await waitUntilFunctionActiveV2({ client, maxWaitTime: 30, minDelay: 1 }, { FunctionName: name });
}

const invokeOnce = (client: LambdaClient, name: string) => client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{"n":1}') }));

async function warm(client: LambdaClient, name: string): Promise<{ latency: Summary; perSecond: number }> {
  for (let i = 0; i < 50; i++) await invokeOnce(client, name);
  const one = await load(WARM_N, 1, () => invokeOnce(client, name));
  for (let i = 0; i < 32; i++) await invokeOnce(client, name); // let concurrent sandboxes come up outside the timing
  await load(64, 32, () => invokeOnce(client, name));
  const many = await load(THROUGHPUT_N, 32, () => invokeOnce(client, name));
  return { latency: summarize(one.latencies), perSecond: (THROUGHPUT_N / many.wallMs) * 1000 };
}

/** Cold start: each sample changes the configuration (a new sandbox is needed) then invokes once. */
async function cold(client: LambdaClient, name: string): Promise<Summary> {
  const samples: number[] = [];
  for (let i = 0; i < COLD_N; i++) {
    await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Environment: { Variables: { ROUND: String(i) } } }));
    await waitUntilFunctionUpdatedV2({ client, maxWaitTime: 30, minDelay: 1 }, { FunctionName: name });
    await new Promise((r) => setTimeout(r, 300)); // let the pool refill between samples
    const t = performance.now();
    await invokeOnce(client, name);
    samples.push(performance.now() - t);
  }
  return summarize(samples);
}

async function scale(client: LambdaClient): Promise<number> {
  const name = `bench-scale-${Date.now()}`;
  await createFn(client, name, `exports.handler = async () => { await new Promise((r) => setTimeout(r, 1000)); return 1; };`, 128);
  const t = performance.now();
  await Promise.all(Array.from({ length: SCALE_TO }, () => invokeOnce(client, name)));
  return performance.now() - t - 1000;
}

function row(label: string, s: Summary): string {
  return `| ${label} | ${fmt(s.p50)} | ${fmt(s.p99)} | ${fmt(s.min)} | ${fmt(s.max)} | ${s.n} |`;
}

async function main(): Promise<void> {
  const base = await startBaseline(async (event) => ({ hello: 'world', event }));
  const baseClient = lambdaClient(base.endpoint);
  const baseline = await warm(baseClient, 'hello');
  baseClient.destroy();
  base.server.close();

  // Memory limits are caps, not reservations: let 32 one-vCPU sandboxes share this host.
  const budget = ['--host-memory-budget-mb', '100000'];
  let flint: FlintProcess | undefined = await startFlintProcess({ args: budget, env: { FLINT_LOG_LEVEL: 'warn' } });
  const client = flint.client();
  await createFn(client, 'hello', HELLO);
  const flintWarm = await warm(client, 'hello');
  await createFn(client, 'cold', HELLO, 1024);
  const coldPool = await cold(client, 'cold');
  const scaleMs = await scale(client);
  await flint.stop();
  removeDataDir(flint.dataDir);

  flint = await startFlintProcess({ args: [...budget, '--pool-size-per-runtime', '0', '--pool-max-per-runtime', '0'], env: { FLINT_LOG_LEVEL: 'warn' } });
  const noPoolClient = flint.client();
  await createFn(noPoolClient, 'cold', HELLO, 1024);
  const coldNoPool = await cold(noPoolClient, 'cold');
  await flint.stop();
  removeDataDir(flint.dataDir);

  const out = [
    `Invoke benchmark (${quick ? 'quick' : 'full'}), latencies in ms through @aws-sdk/client-lambda`,
    '',
    '| measure | p50 | p99 | min | max | n |',
    '|---|---|---|---|---|---|',
    row('baseline warm invoke (in-process handler behind plain HTTP)', baseline.latency),
    row('Flint warm invoke, concurrency 1', flintWarm.latency),
    row('Flint cold start with the pre-started pool', coldPool),
    row('Flint cold start without the pool', coldNoPool),
    '',
    `Flint warm overhead over baseline (p50): ${fmt(flintWarm.latency.p50 - baseline.latency.p50)} ms; ratio Flint/baseline ${fmt(flintWarm.latency.p50 / baseline.latency.p50)}`,
    `throughput at concurrency 32: Flint ${fmt(flintWarm.perSecond, 0)}/s, baseline ${fmt(baseline.perSecond, 0)}/s, ratio ${fmt(flintWarm.perSecond / baseline.perSecond)}`,
    `scale from 0 to ${SCALE_TO} concurrent sandboxes (beyond the 1 s handler): ${fmt(scaleMs, 0)} ms`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

await main();
