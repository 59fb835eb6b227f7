/** Observability: Prometheus metrics and the status snapshot behind `flint status`. */
export { FlintMetrics, type GaugeSources } from './flint-metrics.ts';
export { registerStatusRoutes, type StatusSnapshot, type StatusRouteDeps } from './status-routes.ts';
