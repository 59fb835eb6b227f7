/**
 * The baseline server as plain JavaScript. Running the .ts files directly would
 * make Node load its TypeScript stripper into the baseline process (measured: +17 MiB
 * PSS and a slower start), which no production Node server carries; so the same
 * sources are stripped of their types here, once, and the child runs the result.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { join } from 'node:path';

const MAIN = new URL('./baseline-main.ts', import.meta.url);
const SERVER = new URL('../lib/baseline-server.ts', import.meta.url);
const SERVER_IMPORT = "'../lib/baseline-server.ts'";

/** Node warns that stripTypeScriptTypes is experimental; the benchmark's output should stay readable. */
function strip(source: string): string {
  const emitWarning = process.emitWarning;
  process.emitWarning = () => undefined;
  try {
    return stripTypeScriptTypes(source);
  } finally {
    process.emitWarning = emitWarning;
  }
}

/** Writes baseline-main.mjs and baseline-server.mjs into `dir`; returns the main file. */
export function writeBaselineJs(dir: string): string {
  const main = strip(readFileSync(MAIN, 'utf8'));
  if (!main.includes(SERVER_IMPORT)) throw new Error(`baseline-main.ts no longer imports ${SERVER_IMPORT}`);
  writeFileSync(join(dir, 'baseline-server.mjs'), strip(readFileSync(SERVER, 'utf8')));
  writeFileSync(join(dir, 'baseline-main.mjs'), main.replace(SERVER_IMPORT, "'./baseline-server.mjs'"));
  return join(dir, 'baseline-main.mjs');
}
