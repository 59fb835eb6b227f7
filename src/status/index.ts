/** Observability: Prometheus metrics, the status snapshot behind `flint status`, and the log read API behind `flint logs`. */
export { FlintMetrics, type GaugeSources } from './flint-metrics.ts';
export { registerStatusRoutes, type StatusSnapshot, type StatusRouteDeps } from './status-routes.ts';
export { registerLogsRoute, type LogEventsPage, type LogReader, type LogsRouteDeps } from './logs-route.ts';
