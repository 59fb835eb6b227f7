/**
 * A throw-away Serverless service directory for the peer: the two handler files,
 * a serverless.yml that declares every function a repetition needs (a warm one per
 * handler, one for the scale-up, one for memory, one per cold-start sample), a
 * `node_modules` link to the installed peer, and a scratch HOME (the framework
 * writes its state there).
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HandlerKind } from '../workloads/handler-source.ts';
import { PEER_DIR } from './peer-install.ts';

export interface PeerPorts {
  readonly lambda: number;
  readonly http: number;
  readonly websocket: number;
}

/** Function keys declared for `kind`; their names on the Invoke API are `bench-dev-<key>`. */
export function peerFunctionKeys(kind: HandlerKind, coldSamples: number): string[] {
  return [kind, `${kind}-scale`, `${kind}-memory`, ...Array.from({ length: coldSamples }, (_, i) => `${kind}-cold-${i}`)];
}

export const peerFunctionName = (key: string): string => `bench-dev-${key}`;

/** The path of the warm function's httpApi route. */
export const peerHttpPath = (kind: HandlerKind): string => `/${kind}`;

export function writePeerService(sources: Readonly<Record<HandlerKind, string>>, ports: PeerPorts, coldSamples: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'flint-bench-peer-'));
  mkdirSync(join(dir, 'home'));
  symlinkSync(join(PEER_DIR, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const functions: string[] = [];
  for (const kind of Object.keys(sources) as HandlerKind[]) {
    writeFileSync(join(dir, `${kind}.js`), sources[kind]);
    for (const key of peerFunctionKeys(kind, coldSamples)) {
      // the warm function also answers HTTP (payload format 2.0, as a function URL)
      const events = key === kind ? `, events: [{ httpApi: { path: '${peerHttpPath(kind)}', method: POST } }]` : '';
      functions.push(`  ${key}: { handler: ${kind}.handler, timeout: 60${events} }`);
    }
  }
  writeFileSync(join(dir, 'serverless.yml'), [
    'service: bench',
    "frameworkVersion: '3'",
    // serverless 3 validates runtime names up to nodejs20.x; handlers run in worker threads of the Node that runs the framework
    'provider: { name: aws, runtime: nodejs20.x, region: us-east-1, stage: dev }',
    'functions:',
    ...functions,
    'plugins: [serverless-offline]',
    `custom: { serverless-offline: { host: 127.0.0.1, lambdaPort: ${ports.lambda}, httpPort: ${ports.http}, websocketPort: ${ports.websocket} } }`,
    '',
  ].join('\n'));
  return dir;
}
