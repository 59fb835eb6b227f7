import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, resolveConfig } from './resolve.ts';
import { SETTINGS, type SettingKey } from './schema.ts';

const dir = mkdtempSync(join(tmpdir(), 'flint-config-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
function configFile(content: unknown): string {
  const path = join(dir, `config-${files++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}
const refused = (message: RegExp) => (err: unknown) => err instanceof ConfigError && message.test(err.message);

describe('resolveConfig', () => {
  it('gives every setting its default when no source sets it', () => {
    const config = resolveConfig();
    for (const key of Object.keys(SETTINGS) as SettingKey[]) assert.deepEqual(config[key], SETTINGS[key].default, key);
  });

  it('takes a flag over the environment, the environment over the file, and the file over the default', () => {
    const file = configFile({ port: 1001, region: 'eu-west-1', accountId: '111111111111', logLevel: 'warn' });
    const config = resolveConfig({
      file,
      env: { FLINT_PORT: '2002', FLINT_REGION: 'eu-central-1', FLINT_ACCOUNT_ID: '222222222222' },
      flags: { port: '3003', region: 'ap-south-1' },
    });
    assert.equal(config.port, 3003, 'flag over environment and file');
    assert.equal(config.region, 'ap-south-1', 'flag over environment and file');
    assert.equal(config.accountId, '222222222222', 'environment over file');
    assert.equal(config.logLevel, 'warn', 'file over default');
    assert.equal(config.host, SETTINGS.host.default, 'default when no source sets it');
  });

  it('converts strings from flags and the environment to the setting\'s type', () => {
    const config = resolveConfig({ env: { FLINT_SANDBOX_IDLE_TIMEOUT_MS: '1500' }, flags: { poolSizePerRuntime: '0' } });
    assert.equal(config.sandboxIdleTimeoutMs, 1500);
    assert.equal(config.poolSizePerRuntime, 0);
  });

  it('takes the cluster database from --database or FLINT_DATABASE_URL (the name the interface gives), never FLINT_DATABASE', () => {
    assert.equal(resolveConfig({ env: { FLINT_DATABASE_URL: 'postgres://flint@db:5432/flint' } }).database, 'postgres://flint@db:5432/flint');
    assert.equal(resolveConfig({ env: { FLINT_DATABASE_URL: 'postgres://a@x/a' }, flags: { database: 'postgresql://b@y/b' } }).database, 'postgresql://b@y/b');
    assert.equal(resolveConfig().database, undefined);
    assert.throws(() => resolveConfig({ env: { FLINT_DATABASE: 'postgres://a@x/a' } }), refused(/unknown settings in the environment: FLINT_DATABASE /));
    assert.throws(() => resolveConfig({ flags: { database: 'mysql://a@x/a' } }), refused(/setting database \(from flag --database\): "mysql:\/\/a@x\/a": must be a postgres:\/\/ URL/));
  });

  const badValues: Array<[string, Parameters<typeof resolveConfig>[0], RegExp]> = [
    ['a port out of range, from a flag', { flags: { port: '70000' } }, /^invalid value for setting port \(from flag --port\): "70000": /],
    ['a number that is not one, from the environment', { env: { FLINT_ACCOUNT_CONCURRENCY: 'lots' } }, /^invalid value for setting accountConcurrency \(from environment variable FLINT_ACCOUNT_CONCURRENCY\): "lots": /],
    ['a fraction where an integer is needed', { env: { FLINT_INIT_TIMEOUT_MS: '1500.5' } }, /setting initTimeoutMs .*"1500\.5"/],
    ['a value outside an enumeration', { flags: { sandboxDriver: 'docker' } }, /^invalid value for setting sandboxDriver \(from flag --sandbox-driver\): "docker": /],
    ['an account id that is not 12 digits', { env: { FLINT_ACCOUNT_ID: '123' } }, /setting accountId \(from environment variable FLINT_ACCOUNT_ID\): "123"/],
    ['an empty value, which would otherwise read as port 0', { env: { FLINT_PORT: '' } }, /^invalid value for setting port \(from environment variable FLINT_PORT\): "": empty$/],
    ['a blank value', { flags: { dataDir: '  ' } }, /setting dataDir \(from flag --data-dir\): "  ": empty$/],
  ];
  for (const [what, sources, message] of badValues) {
    it(`refuses ${what}, naming the setting and where the value came from`, () => {
      assert.throws(() => resolveConfig(sources), refused(message));
    });
  }

  it('refuses a bad value in the file, naming the file and the member', () => {
    const file = configFile({ logLevel: 'loud' });
    assert.throws(() => resolveConfig({ file }), refused(new RegExp(`^invalid value for setting logLevel \\(from config file ${file}, member "logLevel"\\): "loud": `)));
  });

  it('refuses unknown settings in the file, as flags and as FLINT_* variables, naming them', () => {
    const file = configFile({ port: 1, prot: 2, sandboxDrivr: 'process' });
    assert.throws(() => resolveConfig({ file }), refused(new RegExp(`^config file ${file} has unknown settings: prot, sandboxDrivr$`)));
    assert.throws(() => resolveConfig({ flags: { prot: '1' } as never }), refused(/^unknown settings given as flags: prot$/));
    assert.throws(() => resolveConfig({ env: { FLINT_SANDBOX_DRIVR: 'process' } }), refused(/^unknown settings in the environment: FLINT_SANDBOX_DRIVR \(/));
  });

  it('leaves other variables alone, and FLINT_* variables read by Flint\'s scripts', () => {
    const config = resolveConfig({ env: { PATH: '/usr/bin', HOME: '/root', FLINT_NODE_MAJORS: '22', FLINT_UNSET: undefined } });
    assert.equal(config.port, SETTINGS.port.default);
  });

  it('leaves FLINT_ENDPOINT alone: the CLI reads it, and a shell that exports it for flint status still starts flint serve', () => {
    const config = resolveConfig({ env: { FLINT_ENDPOINT: 'http://127.0.0.1:9977' } });
    assert.equal(config.port, SETTINGS.port.default);
  });

  it('refuses a file that is not JSON or not an object', () => {
    const broken = configFile('{ "port": ');
    assert.throws(() => resolveConfig({ file: broken }), refused(new RegExp(`^cannot read config file ${broken}: `)));
    const list = configFile([1, 2]);
    assert.throws(() => resolveConfig({ file: list }), refused(new RegExp(`^config file ${list} must hold a JSON object$`)));
    assert.throws(() => resolveConfig({ file: join(dir, 'absent.json') }), refused(/^cannot read config file .*absent\.json: ENOENT/));
  });

  it('returns a frozen configuration', () => {
    const config = resolveConfig({ flags: { port: '0' } });
    assert.ok(Object.isFrozen(config));
    assert.throws(() => {
      (config as { port: number }).port = 1;
    }, TypeError);
    assert.equal(config.port, 0);
  });
});
