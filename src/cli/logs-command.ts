import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { resolveConfig } from '../config/index.ts';
import { FileLogStore } from '../worker-host/index.ts';

const HELP = `Usage: flint logs FUNCTION_NAME [--follow] [--data-dir DIR]

Prints the function's log group (/aws/lambda/FUNCTION_NAME), every stream in order.
--follow keeps printing new events until interrupted.
`;

/** `flint logs NAME [--follow]`: reads the log group of a function from the data directory. */
export async function logsCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { follow: { type: 'boolean', short: 'f' }, 'data-dir': { type: 'string' }, help: { type: 'boolean' } },
    allowPositionals: true,
  });
  if (values.help || positionals.length !== 1) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  const config = resolveConfig({ flags: { dataDir: values['data-dir'] }, env });
  const store = new FileLogStore(join(resolve(config.dataDir), 'logs'));
  const group = `/aws/lambda/${positionals[0]}`;
  const offsets = new Map<string, number>();
  for (;;) {
    for (const stream of await store.streams(group)) {
      const { events, nextOffset } = await store.read(group, stream, offsets.get(stream) ?? 0);
      offsets.set(stream, nextOffset);
      for (const e of events) process.stdout.write(`${new Date(e.timestampMs).toISOString()} ${stream} ${e.message}\n`);
    }
    if (!values.follow) return 0;
    await sleep(500);
  }
}
