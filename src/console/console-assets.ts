/**
 * The console's static files: the page's own (src/console/assets/, kept in the repo as they are
 * served: ES modules, no build step) and the browser builds of its libraries, read from
 * node_modules where npm put them. Only the files named here are served (no path from the URL
 * reaches the file system); each is read once and kept in memory.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { extname } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** Files of the page itself, under /console/app/. */
const APP_FILES = ['index.html', 'app.js', 'api.js', 'live.js', 'format.js', 'charts.js', 'functions-panel.js', 'hosts-panel.js', 'activity-panel.js', 'logs-panel.js', 'dead-letters-panel.js', 'console.css'];

/** Libraries under /console/vendor/, by the module specifier npm resolves (exact versions in package.json). */
const VENDOR_FILES: Record<string, string> = {
  'preact.mjs': 'preact',
  'hooks.mjs': 'preact/hooks',
  'htm.mjs': 'htm',
  'uPlot.esm.js': 'uplot/dist/uPlot.esm.js',
  'uPlot.min.css': 'uplot/dist/uPlot.min.css',
};

export interface Asset {
  readonly body: Buffer;
  readonly type: string;
}

/** Every file the console serves, by URL path. */
export function loadConsoleAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const add = (urlPath: string, file: string): void => {
    assets.set(urlPath, { body: readFileSync(file), type: TYPES[extname(file)] ?? 'application/octet-stream' });
  };
  for (const name of APP_FILES) add(`/console/app/${name}`, fileURLToPath(new URL(`./assets/${name}`, import.meta.url)));
  for (const [name, specifier] of Object.entries(VENDOR_FILES)) add(`/console/vendor/${name}`, fileURLToPath(import.meta.resolve(specifier)));
  return assets;
}
