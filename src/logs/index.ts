/**
 * CloudWatch Logs' API (awsJson1_1, `X-Amz-Target: Logs_20140328.*`) over the log groups Flint keeps:
 * groups, streams, events, filter patterns, retention. See docs/logs.md.
 */
export { registerLogsApi, type LogsApiDeps } from './logs-api-route.ts';
export type { LogGroupStorage } from './ports.ts';
export { compileFilterPattern, FilterPatternError } from './filter-pattern.ts';
