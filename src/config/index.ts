/** Typed configuration: one schema, resolved once from flags, environment and file, then frozen. */
export { SETTINGS, flagName, envName, effectiveAuth, isLoopbackHost, type FlintConfig, type SettingKey } from './schema.ts';
export { resolveConfig, describeSettings, ConfigError, type ConfigSources } from './resolve.ts';
