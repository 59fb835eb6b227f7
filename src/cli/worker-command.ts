import { parseArgs } from 'node:util';
import { SETTINGS, describeSettings, flagName, resolveConfig, type SettingKey } from '../config/index.ts';
import { JoinRefused, startWorkerNode } from '../worker-main.ts';

const HELP = `Usage: flint worker --join URL --token TOKEN [--listen HOST:PORT] [options]
       flint worker drain --endpoint WORKER_URL --token TOKEN

Runs a worker host: sandboxes and their Runtime APIs, no database. It registers with the front
end at --join (a \`flint serve\`) using a join token from \`flint token create\`, heartbeats every
second, and serves its host API on --listen (default 127.0.0.1:0). SIGTERM or SIGINT drains it:
no new sandboxes, busy invocations finish (within --shutdown-grace-ms), then it leaves and exits 0.

\`flint worker drain\` asks a running worker host (its host API URL, printed at start) to drain;
it needs the join token the worker was started with. The token may also be given as FLINT_JOIN_TOKEN.

Options:
  --join URL                       front end to join (http://HOST:PORT)
  --token TOKEN                    join token
  --listen HOST:PORT               address of the host API
  --advertise URL                  URL front ends reach the host API at (needed when --listen is 0.0.0.0 or ::)
  --config PATH                    JSON file of settings
${describeSettings()}
  --help                           show this help
`;

/** `flint worker`: a worker host joined to a front end; `flint worker drain`: drains one. */
export async function workerCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (argv[0] === 'drain') return drainCommand(argv.slice(1), env);
  const keys = Object.keys(SETTINGS) as SettingKey[];
  const options: Record<string, { type: 'string' | 'boolean' }> = {
    config: { type: 'string' }, help: { type: 'boolean' }, join: { type: 'string' }, token: { type: 'string' }, listen: { type: 'string' }, advertise: { type: 'string' },
  };
  for (const key of keys) options[flagName(key)] = { type: 'string' };
  const { values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const join = values.join as string | undefined;
  const token = (values.token as string | undefined) ?? env.FLINT_JOIN_TOKEN;
  if (join === undefined || token === undefined) {
    process.stderr.write('flint worker: --join URL and --token TOKEN are required (create a token with `flint token create`)\n');
    return 2;
  }
  const listen = parseListen((values.listen as string | undefined) ?? '127.0.0.1:0');
  if (listen === undefined) {
    process.stderr.write(`flint worker: --listen must be HOST:PORT\n`);
    return 2;
  }
  const advertise = (values.advertise as string | undefined)?.replace(/\/+$/, '');
  if (advertise === undefined && (listen.host === '0.0.0.0' || listen.host === '::')) {
    process.stderr.write('flint worker: listening on every address needs --advertise URL (the host API URL front ends use)\n');
    return 2;
  }
  const flags: Partial<Record<SettingKey, unknown>> = {};
  for (const key of keys) {
    const v = values[flagName(key)];
    if (v !== undefined) flags[key] = v;
  }
  const config = resolveConfig({ flags, env, file: values.config as string | undefined });
  let worker;
  try {
    worker = await startWorkerNode(config, { join: join.replace(/\/+$/, ''), token, listenHost: listen.host, listenPort: listen.port, advertise });
  } catch (err) {
    if (err instanceof JoinRefused) {
      process.stderr.write(`flint worker: ${err.message}\n`);
      return 1;
    }
    if (err instanceof TypeError && (err as { cause?: unknown }).cause !== undefined) {
      process.stderr.write(`flint worker: cannot reach the front end at ${join}: ${String((err.cause as Error).message ?? err.cause)}\n`);
      return 1;
    }
    throw err;
  }
  const onSignal = (signal: NodeJS.Signals): void => {
    worker.logger.info({ signal }, 'draining on signal');
    void worker.drain(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.stdout.write(`Flint worker host ${worker.id} is listening on ${worker.endpoint} (joined ${join})\n`);
  await worker.stopped;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  return 0;
}

async function drainCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({ args: [...argv], options: { endpoint: { type: 'string' }, token: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const token = values.token ?? env.FLINT_JOIN_TOKEN;
  if (values.endpoint === undefined || token === undefined) {
    process.stderr.write('flint worker drain: --endpoint WORKER_URL and --token TOKEN are required\n');
    return 2;
  }
  const res = await fetch(`${values.endpoint.replace(/\/+$/, '')}/flint/host/drain`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 202) {
    process.stderr.write(`flint worker drain: ${values.endpoint} answered ${res.status}: ${await res.text()}\n`);
    return 1;
  }
  process.stdout.write(`worker host at ${values.endpoint} is draining\n`);
  return 0;
}

function parseListen(value: string): { host: string; port: number } | undefined {
  const m = /^(.+):(\d{1,5})$/.exec(value);
  if (!m) return undefined;
  const port = Number(m[2]);
  return port <= 65535 ? { host: m[1]!.replace(/^\[(.*)\]$/, '$1'), port } : undefined;
}
