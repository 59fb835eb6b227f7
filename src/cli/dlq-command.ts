import { parseArgs } from 'node:util';
import { FlintApiError, flintClientFor, type FlintClient } from './flint-client.ts';
import type { DeadLetterSummary } from '../model/index.ts';

const HELP = `Usage: flint dlq <list|show|redrive> [options]

The dead-letter store of asynchronous invocations: events that failed for good
(retries exhausted, too old, function deleted) with no OnFailure destination.

  flint dlq list [--function NAME] [--json]     letters, oldest first
  flint dlq show ID                             one letter: payload, condition, last response
  flint dlq redrive ID | --all [--function NAME]
                                                back to the queue (the server delivers them at once)
Options:
  --endpoint URL    a running Flint (default: FLINT_ENDPOINT, else the configured host and port)

Talks to the running server's /flint/dlq API.
`;

/** `flint dlq list|show|redrive`: the dead-letter store of a running Flint. */
export async function dlqCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { endpoint: { type: 'string' }, function: { type: 'string' }, json: { type: 'boolean' }, all: { type: 'boolean' }, help: { type: 'boolean' } },
    allowPositionals: true,
  });
  const [action, id] = positionals;
  if (values.help || action === undefined || !['list', 'show', 'redrive'].includes(action)) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  const client = flintClientFor(values.endpoint, env);
  if (action === 'list') return list(client, values.function, values.json === true);
  if (action === 'show') return show(client, id);
  return redrive(client, id, values.all === true, values.function);
}

async function list(client: FlintClient, functionName: string | undefined, json: boolean): Promise<number> {
  const rows: DeadLetterSummary[] = [];
  for (let marker: string | undefined; ; ) {
    const query = new URLSearchParams({ MaxItems: '1000' });
    if (functionName !== undefined) query.set('FunctionName', functionName);
    if (marker !== undefined) query.set('Marker', marker);
    const page = await client.get<{ DeadLetters: DeadLetterSummary[]; NextMarker?: string }>(`/flint/dlq?${query}`);
    rows.push(...page.DeadLetters);
    marker = page.NextMarker;
    if (marker === undefined) break;
  }
  if (json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  const table = [['ID', 'FUNCTION', 'CONDITION', 'INVOKES', 'FAILED AT', 'REQUEST ID']];
  for (const r of rows) table.push([String(r.Id), r.FunctionName + (r.Qualifier ? `:${r.Qualifier}` : ''), r.Condition, String(r.ApproximateInvokeCount), r.FailedAt, r.RequestId]);
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table) process.stdout.write(`${row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()}\n`);
  if (rows.length === 0) process.stdout.write('(no dead letters)\n');
  return 0;
}

function letterId(raw: string | undefined): number | undefined {
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

/** Runs `request`; a 404 (no such letter) becomes the CLI's message and exit code 1. */
async function orMissing(raw: string | undefined, request: () => Promise<number>): Promise<number> {
  try {
    return await request();
  } catch (err) {
    if (!(err instanceof FlintApiError && err.notFound)) throw err;
    process.stderr.write(`flint dlq: no dead letter ${raw}\n`);
    return 1;
  }
}

async function show(client: FlintClient, raw: string | undefined): Promise<number> {
  const id = letterId(raw);
  if (id === undefined) {
    process.stderr.write(`flint dlq: no dead letter ${raw ?? '(missing ID)'}\n`);
    return 1;
  }
  return orMissing(raw, async () => {
    process.stdout.write(`${JSON.stringify(await client.get(`/flint/dlq/${id}`), null, 2)}\n`);
    return 0;
  });
}

async function redrive(client: FlintClient, raw: string | undefined, all: boolean, functionName: string | undefined): Promise<number> {
  if (all) {
    const query = functionName === undefined ? '' : `?${new URLSearchParams({ FunctionName: functionName })}`;
    process.stdout.write(`redriven ${(await client.post<{ Redriven: number }>(`/flint/dlq/redrive${query}`)).Redriven}\n`);
    return 0;
  }
  const id = letterId(raw);
  if (id === undefined) {
    process.stderr.write(`flint dlq: no dead letter ${raw ?? '(give an ID or --all)'}\n`);
    return 1;
  }
  return orMissing(raw, async () => {
    process.stdout.write(`redriven ${(await client.post<{ Redriven: number }>(`/flint/dlq/${id}/redrive`)).Redriven}\n`);
    return 0;
  });
}
