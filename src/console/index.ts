/**
 * The live console: a page at `/console` over Flint's own APIs, with a Server-Sent Events stream
 * of status snapshots and per-second invocation counts and latencies kept in memory (docs/console.md).
 */
export { registerConsoleRoutes, type ConsoleDeps } from './console-routes.ts';
export { InvocationSeries, type InvocationSeriesOptions, type SecondCounts, type SeriesSnapshot } from './invocation-series.ts';
export { fanOutObserver } from './fan-out-observer.ts';
