import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { defaultRuntimePaths } from './default-runtime-paths.ts';
import { RuntimeStore } from './runtime-store.ts';

describe('RuntimeStore', () => {
  const store = mkdtempSync(join(tmpdir(), 'flint-runtime-store-'));
  mkdirSync(join(store, 'node22', 'bin'), { recursive: true });
  writeFileSync(join(store, 'node22', 'bin', 'node'), '');
  after(() => rmSync(store, { recursive: true, force: true }));
  const paths = { nodeStoreDir: store, sandboxRuntimeDir: defaultRuntimePaths().sandboxRuntimeDir, pythonBinary: '/usr/bin/python3' };
  const warnings: string[] = [];
  const log = { warn: (_obj: unknown, message: string) => warnings.push(message) } as never;
  const runtimes = new RuntimeStore(paths, log);

  it('resolves an installed runtime to its cell template', () => {
    const resolution = runtimes.resolve('nodejs22.x');
    assert.ok(resolution.ok);
    assert.equal(resolution.runtime.template.runtimeMounts['/var/lang/bin'], `${store}/node22/bin`);
    const client = resolution.runtime.template.runtimeMounts['/var/runtime']!;
    assert.ok(client.startsWith(`${store}/nodejs-client/`), client); // the bundled client
    assert.ok(existsSync(`${client}/bootstrap.mjs`) && existsSync(`${client}/node_modules`));
    assert.deepEqual(resolution.runtime.warnings, []);
  });

  it('says what failed when the Node runtime client cannot be bundled', () => {
    const broken = new RuntimeStore({ ...paths, sandboxRuntimeDir: join(store, 'no-such-dir') }, log);
    const resolution = broken.resolve('nodejs22.x');
    assert.ok(!resolution.ok && resolution.reason === 'not-installed');
    assert.match(resolution.message, /Node runtime client could not be bundled/);
  });

  it('says which script to run when a Node major is not installed', () => {
    const resolution = runtimes.resolve('nodejs20.x');
    assert.equal(resolution.ok, false);
    assert.ok(!resolution.ok && resolution.reason === 'not-installed' && /setup-runtimes\.sh/.test(resolution.message));
  });

  it('refuses an unknown runtime', () => {
    const resolution = runtimes.resolve('java21');
    assert.ok(!resolution.ok && resolution.reason === 'unknown-runtime');
  });

  it('warns once that python3.x runs on the machine python, naming its version', () => {
    const first = runtimes.resolve('python3.9');
    runtimes.resolve('python3.9');
    assert.ok(first.ok);
    assert.match(first.runtime.warnings[0]!, /python3\.9 runs on the machine's \/usr\/bin\/python3.*Python \d+\.\d+/);
    assert.equal(warnings.filter((w) => w.startsWith('python3.9')).length, 1);
  });
});
