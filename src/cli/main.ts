/** Entry point of the `flint` command: dispatches to a subcommand. */
import { ConfigError } from '../config/index.ts';
import { credentialsCommand } from './credentials-command.ts';
import { deployCommand } from './deploy-command.ts';
import { dlqCommand } from './dlq-command.ts';
import { FlintApiError, FlintNotRunningError } from './flint-client.ts';
import { logsCommand } from './logs-command.ts';
import { serveCommand } from './serve-command.ts';
import { statusCommand } from './status-command.ts';
import { tokenCommand } from './token-command.ts';
import { workerCommand } from './worker-command.ts';

const USAGE = `Usage: flint <command> [options]

Commands:
  serve      start Flint (all roles in one process; --no-local-worker: sandboxes only on joined worker hosts)
  worker     run a worker host joined to a front end (--join URL --token TOKEN); 'worker drain' drains one
  token      'token create': a join token for worker hosts
  credentials  'credentials create|list|delete': access keys for --auth sigv4 (docs/auth.md)
  logs       print a function's logs (--follow to keep reading)
  status     show hosts, sandboxes, pool and concurrency of a running Flint
  dlq        list, show and redrive dead-lettered async events
  deploy     zip a directory and create or update its function from flint.json (and its URL)

Run 'flint <command> --help' for a command's options.
`;

const COMMANDS: Record<string, (argv: readonly string[], env: NodeJS.ProcessEnv) => Promise<number>> = {
  serve: serveCommand,
  logs: logsCommand,
  status: statusCommand,
  dlq: dlqCommand,
  worker: workerCommand,
  token: tokenCommand,
  credentials: credentialsCommand,
  deploy: deployCommand,
};

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === 'help') {
    process.stdout.write(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`flint: unknown command '${name}'\n${USAGE}`);
    return 2;
  }
  return command(rest, process.env);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof ConfigError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`flint: ${(err as Error).message}\n`);
    process.exitCode = 2;
  } else if (err instanceof FlintNotRunningError || err instanceof FlintApiError) {
    process.stderr.write(`flint: ${err.message}\n`);
    process.exitCode = 1;
  } else {
    throw err;
  }
}
