/**
 * A baseline server process: loads one handler file in-process and serves it on
 * Lambda's Invoke route (bench/lib/baseline-server.ts). Prints `listening <endpoint>`.
 *
 *   node bench/targets/baseline-main.ts <handler.js>
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { startBaseline, type Handler } from '../lib/baseline-server.ts';

const file = resolve(process.argv[2] ?? '');
const { handler } = createRequire(import.meta.url)(file) as { handler: Handler };
const { endpoint } = await startBaseline(handler);
process.stdout.write(`listening ${endpoint}\n`);
