import { parseArgs } from 'node:util';
import { flintClientFor } from './flint-client.ts';

const HELP = `Usage: flint status [--endpoint URL] [--json]

Shows a running Flint's hosts, sandboxes per function version and state, the pre-started
pool, and concurrency in use. --endpoint defaults to FLINT_ENDPOINT, else the configured
host and port.
`;

interface Status {
  isolation?: { driver?: string; degraded?: string[] };
  hosts?: Array<{ id: string; healthy?: boolean; draining?: boolean; endpoint?: string; memoryInUseMb: number; memoryBudgetMb: number; sandboxes?: number; heartbeatAgeMs?: number }>;
  frontEnds?: Array<{ id: string; endpoint: string; startedMs: number; heartbeatMs: number; self?: boolean }>;
  sandboxes?: Array<{ function: string; version: string; host?: string; idle: number; busy: number }>;
  pool?: Record<string, number>;
  poolMemoryBytes?: number;
  concurrency?: { inUse: number; accountLimit: number; unreservedLimit: number };
  async?: { queueDepth: number; oldestEventAgeMs: number; deadLetters: number; counters: Record<string, number> };
}

/** `flint status`: reads `GET /flint/status` from a running server and prints it for people. */
export async function statusCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({ args: [...argv], options: { endpoint: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const status = await flintClientFor(values.endpoint, env).get<Status>('/flint/status');
  if (values.json) {
    process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
    return 0;
  }
  const lines = [
    status.isolation === undefined
      ? 'isolation: no sandboxes in this process (joined worker hosts only)'
      : `isolation: ${status.isolation.driver ?? '?'}${status.isolation.degraded?.length ? ` (degraded: ${status.isolation.degraded.join('; ')})` : ''}`,
  ];
  for (const h of status.hosts ?? []) {
    const state = h.draining ? 'draining' : h.healthy === false ? 'unhealthy' : 'healthy';
    const where = h.endpoint === undefined ? 'in-process' : `${h.endpoint}, heartbeat ${h.heartbeatAgeMs ?? '?'} ms ago`;
    lines.push(`host ${h.id} (${state}, ${where}): ${h.memoryInUseMb} / ${h.memoryBudgetMb} MB in ${h.sandboxes ?? '?'} sandboxes`);
  }
  for (const f of status.frontEnds ?? []) {
    lines.push(`front end ${f.id}${f.self ? ' (this one)' : ''}: ${f.endpoint}, up ${((Date.now() - f.startedMs) / 1000).toFixed(0)} s`);
  }
  const c = status.concurrency;
  if (c) lines.push(`concurrency: ${c.inUse} in use, account limit ${c.accountLimit}, unreserved ${c.unreservedLimit}`);
  const a = status.async;
  if (a) {
    const counters = Object.entries(a.counters).map(([k, n]) => `${k}=${n}`).join(' ');
    lines.push(`async queue: ${a.queueDepth} queued, oldest ${(a.oldestEventAgeMs / 1000).toFixed(1)} s, ${a.deadLetters} dead-lettered (${counters})`);
  }
  const poolMemory = status.poolMemoryBytes === undefined ? '' : ` (${(status.poolMemoryBytes / 2 ** 20).toFixed(1)} MiB)`;
  lines.push(`pool: ${Object.entries(status.pool ?? {}).map(([k, n]) => `${k}=${n}`).join(' ') || 'empty'}${poolMemory}`);
  lines.push('sandboxes:');
  const onSeveralHosts = new Set((status.sandboxes ?? []).map((s) => s.host)).size > 1;
  for (const s of status.sandboxes ?? []) lines.push(`  ${s.function}:${s.version}  idle ${s.idle}  busy ${s.busy}${onSeveralHosts ? `  on ${s.host}` : ''}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
