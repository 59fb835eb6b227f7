import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { packDirectory } from './deploy-package.ts';
import { functionSettings, ManifestError, parseManifest, urlSettings, type DeployManifest } from './deploy-manifest.ts';
import { FlintApiError, flintClientFor, type FlintClient } from './flint-client.ts';

const HELP = `Usage: flint deploy [DIR] [--endpoint URL] [--name NAME]

Zips DIR (default .), leaving out what DIR/.flintignore excludes (gitignore syntax), and creates or
updates the function DIR/flint.json describes, then waits until it is Active and up to date:

  { "name": "hello", "runtime": "nodejs22.x", "handler": "index.handler",
    "memory": 256, "timeout": 10, "environment": { "STAGE": "dev" },
    "layers": ["arn:aws:lambda:...:layer:x:1"], "url": { "authType": "NONE" } }

Only runtime and handler are required; name defaults to DIR's name. With "url" (or "url": true) it
creates or updates the function's URL and prints it (a NONE URL gets the two grants that open it
to anyone, as the console adds them).
`;

type FunctionConfiguration = { State?: string; LastUpdateStatus?: string; StateReason?: string; LastUpdateStatusReason?: string; CodeSize?: number };

/** `flint deploy`: package a directory and create or update its function through the Lambda API. */
export async function deployCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...argv], options: { endpoint: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean' } }, allowPositionals: true });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const dir = resolve(positionals[0] ?? '.');
  let manifest: DeployManifest;
  try {
    const file = join(dir, 'flint.json');
    manifest = parseManifest(await readFile(file, 'utf8').catch(() => {
      throw new ManifestError(`${file} not found: flint deploy needs at least {"runtime": "...", "handler": "..."} there (see flint deploy --help)`);
    }), file);
  } catch (err) {
    if (!(err instanceof ManifestError)) throw err;
    process.stderr.write(`flint deploy: ${err.message}\n`);
    return 2;
  }
  const name = values.name ?? manifest.name ?? basename(dir);
  const client = flintClientFor(values.endpoint, env);
  const fn = `/2015-03-31/functions/${encodeURIComponent(name)}`;

  const packed = await packDirectory(dir, progressLine('packaging'));
  process.stderr.write(`\rpackaged ${packed.files.length} files, ${megabytes(packed.zip.length)}\n`);
  const exists = await client.get<unknown>(fn).then(
    () => true,
    (err: unknown) => {
      if (err instanceof FlintApiError && err.notFound) return false;
      throw err;
    },
  );
  const zipFile = packed.zip.toString('base64');
  if (!exists) {
    process.stderr.write(`creating ${name} (uploading ${megabytes(packed.zip.length)})\n`);
    await client.send('POST', '/2015-03-31/functions', { FunctionName: name, ...functionSettings(manifest), Code: { ZipFile: zipFile } });
  } else {
    process.stderr.write(`updating ${name} (uploading ${megabytes(packed.zip.length)})\n`);
    await client.send('PUT', `${fn}/code`, { ZipFile: zipFile });
    await settled(client, fn);
    await client.send('PUT', `${fn}/configuration`, functionSettings(manifest));
  }
  const config = await settled(client, fn);
  let url = '';
  if (manifest.url !== undefined) {
    const path = `/2021-10-31/functions/${encodeURIComponent(name)}/url`;
    const hasUrl = await client.get<unknown>(path).then(
      () => true,
      (err: unknown) => {
        if (err instanceof FlintApiError && err.notFound) return false;
        throw err;
      },
    );
    const settings = urlSettings(manifest.url);
    const answer = await client.send<{ FunctionUrl: string }>(hasUrl ? 'PUT' : 'POST', path, settings);
    url = answer.FunctionUrl;
    if (settings['AuthType'] === 'NONE') await grantPublicUrlAccess(client, fn);
  }
  process.stdout.write(`${name} is ${config.State} (${megabytes(config.CodeSize ?? packed.zip.length)} of code)${url ? `; its URL: ${url}` : ''}\n`);
  return 0;
}

/** Waits until the function is Active and its last update Successful; a Failed one ends the command. */
async function settled(client: FlintClient, fn: string): Promise<FunctionConfiguration> {
  for (const deadline = Date.now() + 120_000; ; ) {
    const c = await client.get<FunctionConfiguration>(`${fn}/configuration`);
    if (c.State === 'Failed' || c.LastUpdateStatus === 'Failed') throw new FlintApiError(500, 'DeployFailed', `the function failed to become ready: ${c.StateReason ?? c.LastUpdateStatusReason ?? 'no reason given'}`);
    if (c.State === 'Active' && (c.LastUpdateStatus === undefined || c.LastUpdateStatus === 'Successful')) return c;
    if (Date.now() > deadline) throw new FlintApiError(500, 'DeployTimedOut', `the function is still ${c.State} / ${c.LastUpdateStatus} after 120 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Writes "<what> N/M files" on one line (stderr), at most every 100 files. */
function progressLine(what: string): (added: number, total: number) => void {
  return (added, total) => {
    if (added % 100 === 0 || added === total) process.stderr.write(`\r${what} ${added}/${total} files`);
  };
}

function megabytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : 1)} MB`;
}

/**
 * A NONE URL is public only when the policy grants anyone both actions (docs/policies.md): added as the
 * console adds them, once (a statement already there is left as it is).
 */
async function grantPublicUrlAccess(client: FlintClient, fn: string): Promise<void> {
  const grants = [
    { StatementId: 'FunctionURLAllowPublicAccess', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' },
    { StatementId: 'FunctionURLAllowInvokeAction', Action: 'lambda:InvokeFunction', Principal: '*', InvokedViaFunctionUrl: true },
  ];
  for (const grant of grants) {
    await client.send('POST', `${fn}/policy`, grant).catch((err: unknown) => {
      if (!(err instanceof FlintApiError && err.status === 409)) throw err;
    });
  }
}
