/**
 * What an operator sees: the README's everyday commands print only Flint's output
 * (no npm warnings when run through npx on the machine's own Node), and every line
 * of Flint's JSON log is a JSON object with each key once, as log shippers require.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { duplicateKeys } from '../helpers/json-duplicate-keys.ts';
import { requirePrerequisite } from '../helpers/prerequisite.ts';
import { removeDataDir, startFlintProcess } from '../helpers/flint-process.ts';
import { deploy, invoke } from './invoke-support.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..', '..');

/** The first `npx` on PATH that is not the project's own (node_modules/.bin): the machine's npm. */
function machineNpx(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const npx = join(dir, 'npx');
    if (dir !== '' && !dir.includes('node_modules') && existsSync(npx)) return npx;
  }
  return undefined;
}

describe('clean output', () => {
  const npx = machineNpx();

  it("prints only Flint's output for npx flint on the machine's Node, with no npm warning", { skip: requirePrerequisite('the machine\'s npx', npx !== undefined, 'no npx outside node_modules on PATH') }, async () => {
    // The machine's directories only: `node` is the machine's Node (not the project's Node 24), as for a user.
    const path = (process.env.PATH ?? '').split(delimiter).filter((d) => !d.includes('node_modules')).join(delimiter);
    // A fresh npm cache: npx installs the project into it on first use, as on a clean machine.
    const cache = mkdtempSync(join(tmpdir(), 'flint-npx-cache-'));
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: path };
    for (const k of Object.keys(env)) if (k.toLowerCase().startsWith('npm_')) delete env[k];
    env.npm_config_cache = cache;
    try {
      for (const args of [['flint', '--help'], ['flint', 'status', '--endpoint', 'http://127.0.0.1:9']]) {
        const out = await run(npx!, args, { cwd: ROOT, env }).catch((err: { stdout: string; stderr: string }) => err);
        assert.doesNotMatch(out.stderr, /npm warn/i, `npx ${args.join(' ')} printed npm warnings:\n${out.stderr}`);
        if (args[1] === '--help') assert.match(out.stdout, /^Usage: flint <command>/);
        else assert.match(out.stderr, /^flint: /, 'status reports the unreachable endpoint itself');
      }
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('writes every log line as one JSON object whose keys each appear once', async () => {
    const flint = await startFlintProcess({ env: { FLINT_LOG_LEVEL: 'debug' } });
    try {
      const client = flint.client();
      const ok = (await deploy(client, [{ name: 'index.js', content: "exports.handler = async () => { console.log('hi'); return 1; };" }])).name;
      const failing = (await deploy(client, [{ name: 'index.js', content: 'exports.handler = async () => { process.exit(2); };' }])).name;
      await invoke(client, ok);
      await invoke(client, ok);
      await invoke(client, failing);
      await client.send(new InvokeCommand({ FunctionName: ok, InvocationType: 'Event', Payload: Buffer.from('{}') }));
      await client.send(new InvokeCommand({ FunctionName: 'no-such-function', Payload: Buffer.from('{}') })).catch(() => undefined);
    } finally {
      await flint.stop();
      removeDataDir(flint.dataDir);
    }
    const lines = flint.logs().split('\n').filter((l) => l.trim() !== '');
    assert.ok(lines.length > 10, `a run writes log lines (${lines.length})`);
    const components = new Set<string>();
    for (const line of lines) {
      assert.deepEqual(duplicateKeys(line), [], `duplicate keys in ${line}`);
      const component = (JSON.parse(line) as { component?: unknown }).component;
      if (typeof component === 'string') components.add(component);
    }
    assert.ok([...components].some((c) => c.includes('/')), `nested components are named by path: ${[...components].join(', ')}`);
  });
});
