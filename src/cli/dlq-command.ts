import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DeadLetters, deadLetterDetail, deadLetterSummary } from '../async-invoke/index.ts';
import { resolveConfig } from '../config/index.ts';
import { openDatabase } from '../db/index.ts';

const HELP = `Usage: flint dlq <list|show|redrive> [options]

The dead-letter store of asynchronous invocations: events that failed for good
(retries exhausted, too old, function deleted) with no OnFailure destination.

  flint dlq list [--function NAME] [--json]     letters, oldest first
  flint dlq show ID                             one letter: payload, condition, last response
  flint dlq redrive ID | --all [--function NAME]
                                                back to the queue (the server delivers them within a second)
Options:
  --data-dir DIR    Flint's data directory (default: the configured one, .flint)

Reads and writes the embedded database directly, so it works whether or not
the server is running (the same store is served at /flint/dlq).
`;

/** `flint dlq list|show|redrive`: the dead-letter store, read from the data directory. */
export async function dlqCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { 'data-dir': { type: 'string' }, function: { type: 'string' }, json: { type: 'boolean' }, all: { type: 'boolean' }, help: { type: 'boolean' } },
    allowPositionals: true,
  });
  const [action, id] = positionals;
  if (values.help || action === undefined || !['list', 'show', 'redrive'].includes(action)) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  const dataDir = resolve(resolveConfig({ flags: { dataDir: values['data-dir'] }, env }).dataDir);
  const dbPath = join(dataDir, 'flint.db');
  if (!existsSync(dbPath)) {
    process.stderr.write(`flint dlq: no Flint database in ${dataDir} (use --data-dir)\n`);
    return 1;
  }
  const db = openDatabase(dbPath);
  try {
    const letters = new DeadLetters(db);
    if (action === 'list') return list(letters, values.function, values.json === true);
    if (action === 'show') return show(letters, id);
    return redrive(letters, id, values.all === true, values.function);
  } finally {
    db.close();
  }
}

function list(letters: DeadLetters, functionName: string | undefined, json: boolean): number {
  const rows = [];
  for (let afterId = 0; ; ) {
    const page = letters.list({ functionName, afterId, limit: 500 });
    rows.push(...page.map(deadLetterSummary));
    if (page.length < 500) break;
    afterId = page.at(-1)!.id;
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

function show(letters: DeadLetters, raw: string | undefined): number {
  const id = letterId(raw);
  const letter = id === undefined ? undefined : letters.get(id);
  if (letter === undefined) {
    process.stderr.write(`flint dlq: no dead letter ${raw ?? '(missing ID)'}\n`);
    return 1;
  }
  process.stdout.write(`${JSON.stringify(deadLetterDetail(letter), null, 2)}\n`);
  return 0;
}

function redrive(letters: DeadLetters, raw: string | undefined, all: boolean, functionName: string | undefined): number {
  if (all) {
    process.stdout.write(`redriven ${letters.redriveAll(functionName, Date.now())}\n`);
    return 0;
  }
  const id = letterId(raw);
  if (id === undefined || letters.redrive(id, Date.now()) === undefined) {
    process.stderr.write(`flint dlq: no dead letter ${raw ?? '(give an ID or --all)'}\n`);
    return 1;
  }
  process.stdout.write('redriven 1\n');
  return 0;
}
