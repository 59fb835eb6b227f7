import { parseArgs } from 'node:util';
import { SETTINGS, describeSettings, effectiveAuth, flagName, resolveConfig, type SettingKey } from '../config/index.ts';
import { startFlint } from '../main.ts';
import { describeHostAccess } from '../worker-host/index.ts';

const HELP = `Usage: flint serve [options]

Starts every Flint role in one process with embedded defaults (no other server needed).
Each option may also be set by its environment variable or in a JSON file given by --config.

Options:
  --config PATH                    JSON file of settings (member names as in the schema, e.g. "port")
  --no-local-worker                run no sandboxes in this process: only worker hosts joined with \`flint worker\` do
${describeSettings()}
  --help                           show this help
`;

/** `flint serve`: resolve configuration once, start, print the endpoint, stop cleanly on SIGINT/SIGTERM. */
export async function serveCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const keys = Object.keys(SETTINGS) as SettingKey[];
  const options: Record<string, { type: 'string' | 'boolean' }> = { config: { type: 'string' }, help: { type: 'boolean' }, 'no-local-worker': { type: 'boolean' } };
  for (const key of keys) options[flagName(key)] = { type: 'string' };
  const { values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const flags: Partial<Record<SettingKey, unknown>> = {};
  for (const key of keys) {
    const v = values[flagName(key)];
    if (v !== undefined) flags[key] = v;
  }
  if (values['no-local-worker']) flags.localWorker = 'false';
  const config = resolveConfig({ flags, env, file: values.config as string | undefined });
  if (config.database !== undefined && config.advertiseUrl === undefined && (config.host === '0.0.0.0' || config.host === '::')) {
    process.stderr.write('flint serve: a cluster front end listening on every address needs --advertise-url URL (the URL other front ends and worker hosts reach it at)\n');
    return 2;
  }
  if (effectiveAuth(config) === undefined) {
    process.stderr.write(`flint serve: refusing to listen on ${config.host} (not a loopback address) without authentication: give --auth sigv4 with FLINT_ROOT_ACCESS_KEY_ID / FLINT_ROOT_SECRET_ACCESS_KEY (docs/auth.md), or --auth none to accept any credentials on purpose\n`);
    return 2;
  }
  const flint = await startFlint(config);
  const stopped = new Promise<void>((resolveStop) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      flint.logger.info({ signal }, 'stopping');
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      void flint.stop().then(resolveStop);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  process.stdout.write(
    `Flint is listening on ${flint.endpoint} (try: aws --endpoint-url ${flint.endpoint} --region ${config.region} lambda list-functions)\n` +
      (flint.auth === 'none'
        ? 'Authentication: none: any credentials are accepted (--auth sigv4 checks AWS Signature Version 4)\n'
        : `Authentication: AWS Signature Version 4 (${config.rootAccessKeyId === undefined ? 'no root credential: keys from `flint credentials create`' : `root access key ${config.rootAccessKeyId}`})\n`) +
      (config.database === undefined ? '' : `Cluster front end ${flint.frontEndId}: shared state in PostgreSQL at ${describeDatabase(config.database)}\n`) +
      (config.localWorker ? '' : 'No local worker host: sandboxes run on worker hosts joined with `flint worker --join URL --token TOKEN`\n') +
      (flint.hostAccess ? `${describeHostAccess(flint.hostAccess)}\n` : ''),
  );
  await stopped;
  return 0;
}

/** The database URL without its password, for the start line. */
function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    return `${u.username ? `${u.username}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return 'the given URL';
  }
}
