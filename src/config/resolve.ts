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

/** Merges defaults < file < environment < flags, validates every value, freezes the result. */
export function resolveConfig(sources: ConfigSources = {}): FlintConfig {
  const fromFile = sources.file ? readConfigFile(sources.file) : {};
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(SETTINGS) as SettingKey[]) {
    const s = SETTINGS[key];
    const raw = sources.flags?.[key] ?? sources.env?.[envName(key)] ?? fromFile[key] ?? s.default;
    const parsed = s.schema.safeParse(raw);
    if (!parsed.success) {
      throw new ConfigError(`invalid value for --${flagName(key)} (${envName(key)}): ${JSON.stringify(raw)}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    }
    out[key] = parsed.data;
  }
  return Object.freeze(out) as FlintConfig;
}

function readConfigFile(path: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ConfigError(`config file ${path} must hold a JSON object`);
  const unknown = Object.keys(data).filter((k) => !(k in SETTINGS));
  if (unknown.length > 0) throw new ConfigError(`config file ${path} has unknown settings: ${unknown.join(', ')}`);
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
