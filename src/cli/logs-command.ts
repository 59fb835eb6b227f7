import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { flintClientFor } from './flint-client.ts';

const HELP = `Usage: flint logs FUNCTION_NAME [--follow] [--endpoint URL]

Prints the function's log group (/aws/lambda/FUNCTION_NAME), every stream in order,
as a running Flint serves it at GET /flint/logs/FUNCTION_NAME.
--follow keeps printing new events until interrupted.
--endpoint defaults to FLINT_ENDPOINT, else the configured host and port.
`;

/** The wire shape of `GET /flint/logs/{name}`. */
interface LogEventsPage {
  readonly Events: ReadonlyArray<{ readonly Timestamp: number; readonly LogStreamName: string; readonly Message: string }>;
  readonly NextToken: string;
}

/** How often `--follow` asks for new events. */
const FOLLOW_INTERVAL_MS = 500;

/** `flint logs NAME [--follow]`: reads the log group of a function from a running Flint. */
export async function logsCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { follow: { type: 'boolean', short: 'f' }, endpoint: { type: 'string' }, help: { type: 'boolean' } },
    allowPositionals: true,
  });
  if (values.help || positionals.length !== 1) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  const client = flintClientFor(values.endpoint, env);
  const path = `/flint/logs/${encodeURIComponent(positionals[0]!)}`;
  for (let token = ''; ; ) {
    const page = await client.get<LogEventsPage>(token === '' ? path : `${path}?NextToken=${token}`);
    for (const e of page.Events) process.stdout.write(`${new Date(e.Timestamp).toISOString()} ${e.LogStreamName} ${e.Message}\n`);
    if (!values.follow) return 0;
    token = page.NextToken;
    await sleep(FOLLOW_INTERVAL_MS);
  }
}
