import { readFileSync } from 'node:fs';
import { SETTINGS, envName, flagName, type FlintConfig, type Setting, type SettingKey } from './schema.ts';

export interface ConfigSources {
  /** Values from command-line flags, keyed by setting name. */
  readonly flags?: Partial<Record<SettingKey, unknown>>;
  /** The process environment (only `FLINT_*` names are read). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Path of an optional JSON file whose members are setting names. */
  readonly file?: string | undefined;
}

export class ConfigError extends Error {}

/**
 * `FLINT_*` variables that are not server settings but are read by Flint's own scripts
 * (scripts/setup-runtimes.sh) or by the CLI's client commands (`FLINT_ENDPOINT`), so
 * `npm start` may run with them exported.
 */
export const NON_SETTING_ENV_NAMES: readonly string[] = ['FLINT_NODE_MAJORS', 'FLINT_ENDPOINT'];

/**
 * Merges defaults < file < environment < flags, validates every value, freezes the result.
 *
 * Errors (ConfigError): a value that fails its schema or is empty, naming the setting and
 * where the value came from; a flag, `FLINT_*` variable or file member that names no setting.
 */
export function resolveConfig(sources: ConfigSources = {}): FlintConfig {
  refuseUnknown(Object.keys(sources.flags ?? {}), (k) => k in SETTINGS, (names) => `unknown settings given as flags: ${names.join(', ')}`);
  const envNames = new Set(Object.keys(SETTINGS).map(envName));
  refuseUnknown(
    Object.keys(sources.env ?? {}).filter((name) => name.startsWith('FLINT_') && sources.env![name] !== undefined),
    (name) => envNames.has(name) || NON_SETTING_ENV_NAMES.includes(name),
    (names) => `unknown settings in the environment: ${names.join(', ')} (every FLINT_* variable must name a setting; see flint serve --help)`,
  );
  const fromFile = sources.file ? readConfigFile(sources.file) : {};
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(SETTINGS) as SettingKey[]) {
    const [raw, origin] = pick(key, sources, fromFile);
    const parsed = SETTINGS[key].schema.safeParse(raw);
    const problem = typeof raw === 'string' && raw.trim() === '' ? 'empty' : parsed.success ? undefined : (parsed.error.issues[0]?.message ?? 'invalid');
    if (problem !== undefined) throw new ConfigError(`invalid value for setting ${key} (from ${origin}): ${JSON.stringify(raw)}: ${problem}`);
    out[key] = parsed.data;
  }
  return Object.freeze(out) as FlintConfig;
}

/** The winning value of `key` and where it came from, by precedence flag > env > file > default. */
function pick(key: SettingKey, sources: ConfigSources, fromFile: Record<string, unknown>): [unknown, string] {
  const flag = sources.flags?.[key];
  if (flag !== undefined && flag !== null) return [flag, `flag --${flagName(key)}`];
  const env = sources.env?.[envName(key)];
  if (env !== undefined) return [env, `environment variable ${envName(key)}`];
  if (fromFile[key] !== undefined && fromFile[key] !== null) return [fromFile[key], `config file ${sources.file}, member "${key}"`];
  return [SETTINGS[key].default, 'default'];
}

function refuseUnknown(names: readonly string[], known: (name: string) => boolean, message: (unknown: string[]) => string): void {
  const unknown = names.filter((n) => !known(n));
  if (unknown.length > 0) throw new ConfigError(message(unknown));
}

function readConfigFile(path: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ConfigError(`config file ${path} must hold a JSON object`);
  refuseUnknown(Object.keys(data), (k) => k in SETTINGS, (names) => `config file ${path} has unknown settings: ${names.join(', ')}`);
  return data as Record<string, unknown>;
}

/** Help text listing every setting with its flag, environment variable, default and doc. */
export function describeSettings(): string {
  return (Object.keys(SETTINGS) as SettingKey[])
    .map((key) => {
      const s = SETTINGS[key];
      const setting: Setting = s;
      const def = setting.defaultDoc ?? JSON.stringify(setting.default);
      return `  --${flagName(key).padEnd(30)} ${s.doc}\n  ${' '.repeat(32)} env ${envName(key)}, default ${def}`;
    })
    .join('\n');
}
