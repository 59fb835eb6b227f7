import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { LATEST, type FunctionVersionConfig, type ResolvedTarget } from '../model/index.ts';
import { zipBytes, type Clock, type Logger } from '../shared/index.ts';
import type { InvokeService } from './invoke-service.ts';
import type { FunctionResolver, InvokeObserver, OwnerRouting } from './ports.ts';

/**
 * Flint's own function for the warm-up: a name no user function can have (a dot is not allowed in
 * a Lambda function name), so its counts, claims and retirement touch nothing of a user's.
 */
export const WARM_UP_FUNCTION = 'flint.warm-up';

/** Its handler: one log line and a small JSON answer, the shape of most warm invokes. */
const HANDLER_SOURCE = `'use strict';
exports.handler = async (event) => {
  console.log('warm-up invoke', event.n);
  return { warmUp: true, n: event.n };
};
`;

/** The code store as the warm-up uses it: its package goes in for the warm-up and out after. */
export interface WarmUpCode {
  has(sha256Hex: string): Promise<boolean>;
  put(zip: Buffer): Promise<{ readonly sha256Hex: string; readonly size: number }>;
  delete(sha256Hex: string): Promise<void>;
}

/**
 * The invoke path's resolver with, while a warm-up runs, Flint's own function in it. Every other
 * name goes to the control plane's resolver; after the warm-up, so does this one.
 */
export class WarmUpResolver implements FunctionResolver {
  readonly #resolver: FunctionResolver;
  #target: ResolvedTarget | undefined;

  constructor(resolver: FunctionResolver) {
    this.#resolver = resolver;
  }

  resolve(functionName: string, qualifier: string | undefined): Promise<ResolvedTarget> {
    if (this.#target !== undefined && functionName === WARM_UP_FUNCTION) return Promise.resolve(this.#target);
    return this.#resolver.resolve(functionName, qualifier);
  }

  begin(target: ResolvedTarget): void {
    this.#target = target;
  }

  end(): void {
    this.#target = undefined;
  }
}

/** An observer that does not see the warm-up's invokes (no metric or console series counts them). */
export function unobservedWarmUp(observer: InvokeObserver): InvokeObserver {
  return {
    invoked: (name, result, cold, durationMs, initDurationMs) => {
      if (name !== WARM_UP_FUNCTION) observer.invoked(name, result, cold, durationMs, initDurationMs);
    },
    throttled: (name, reason) => {
      if (name !== WARM_UP_FUNCTION) observer.throttled(name, reason);
    },
  };
}

/**
 * Cluster owner routing that keeps the warm-up's function on this front end: it runs before the
 * API listens, with a sandbox of this front end's own, whichever live front end its name hashes to.
 */
export function localWarmUp(routing: OwnerRouting): OwnerRouting {
  return {
    ownerOf: (name) => (name === WARM_UP_FUNCTION ? undefined : routing.ownerOf(name)),
    forward: (endpoint, request, functionTimeoutMs) => routing.forward(endpoint, request, functionTimeoutMs),
  };
}

/** How a warm-up invoke gets in: through the API over HTTP, or straight to the invoke service. Throws unless the function answered. */
export type WarmUpDoor = (payload: Buffer) => Promise<void>;

export interface WarmUpDeps {
  /** The resolver of the invoke service the door leads to. */
  readonly resolver: WarmUpResolver;
  readonly door: WarmUpDoor;
  /** The worker manager: the warm-up's sandboxes are retired after. */
  readonly workers: { retire(functionName: string, version?: string): Promise<void> };
  readonly code: WarmUpCode;
  /** The function log store: the warm-up's log group is deleted after. */
  readonly logs: { deleteGroup(group: string): Promise<boolean> };
  readonly account: { readonly region: string; readonly accountId: string };
  /** A runtime of the pool's (the invoke path in Flint is the same for every runtime). */
  readonly runtime: string;
  /** Sequential invokes to run (V8 tiers a function up after some hundreds of calls). */
  readonly invokes: number;
  /** Stops early after this long, whatever the count (a slow machine's start stays bounded). */
  readonly maxMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface WarmUpReport {
  readonly invokes: number;
  readonly ms: number;
  /** The first invoke's time (a cold start, the first specialization of this process). */
  readonly firstMs: number;
}

/**
 * Runs a function of Flint's own through the invoke path before the API listens, so that a new
 * front end's first requests do not pay for V8 compiling that path: without it, the first
 * invoke a fresh Flint served took ~200 ms against ~15-30 ms with it, and its warm invokes ran
 * slower until some hundreds had passed (docs/performance.md).
 *
 * The invokes take the real path (through the door: the API's route over HTTP, then the invoke
 * service: counting lease, the worker manager's claim, a real sandbox from a pool cell, the
 * Runtime API session, log capture into the log store); the invoke service's observer does not
 * see them (`unobservedWarmUp`). After, the sandboxes are retired, the log group deleted, and the
 * package removed from the code store unless it was there before. It never fails the start: a
 * failure is logged and the warm-up ends.
 */
export async function warmUpInvokePath(deps: WarmUpDeps): Promise<WarmUpReport | undefined> {
  const startedMs = deps.clock.now();
  const logGroup = `/flint/warm-up/${randomBytes(8).toString('hex')}`;
  let hadCode = true; // until known otherwise, the package is not the warm-up's to remove
  let stored: { sha256Hex: string; size: number } | undefined;
  let done = 0;
  let firstMs = 0;
  try {
    const zip = await warmUpPackage();
    hadCode = await deps.code.has(sha256HexOf(zip));
    stored = await deps.code.put(zip);
    deps.resolver.begin(warmUpTarget(deps, stored, logGroup));
    while (done < deps.invokes && deps.clock.now() - startedMs < deps.maxMs) {
      const t = deps.clock.now();
      await deps.door(Buffer.from(`{"n":${done}}`));
      if (done === 0) firstMs = deps.clock.now() - t;
      done++;
    }
    return { invokes: done, ms: deps.clock.now() - startedMs, firstMs };
  } catch (err) {
    deps.logger.warn({ err, invokes: done }, 'the invoke path warm-up stopped early; Flint starts without it');
    return undefined;
  } finally {
    deps.resolver.end();
    await deps.workers.retire(WARM_UP_FUNCTION).catch(() => undefined);
    await deps.logs.deleteGroup(logGroup).catch(() => undefined);
    if (stored !== undefined && !hadCode) await deps.code.delete(stored.sha256Hex).catch(() => undefined);
  }
}

/** The door straight to the invoke service (when the API's door is closed to the warm-up: `--auth sigv4` without a root credential to sign with). */
export function invokeServiceDoor(invoker: Pick<InvokeService, 'invoke'>): WarmUpDoor {
  return async (payload) => {
    const result = await invoker.invoke({ entry: 'Invoke', requestId: randomUUID(), functionName: WARM_UP_FUNCTION, qualifier: undefined, invocationType: 'RequestResponse', payload });
    if (result.kind !== 'completed' || result.outcome.functionError !== undefined) throw new Error(`the warm-up function failed: ${result.kind === 'completed' ? result.outcome.payload.toString() : result.kind}`);
  };
}

function warmUpTarget(deps: WarmUpDeps, code: { sha256Hex: string; size: number }, logGroup: string): ResolvedTarget {
  const arn = `arn:aws:lambda:${deps.account.region}:${deps.account.accountId}:function:${WARM_UP_FUNCTION}`;
  const config: FunctionVersionConfig = {
    functionName: WARM_UP_FUNCTION,
    version: LATEST,
    runtime: deps.runtime,
    handler: 'index.handler',
    role: `arn:aws:iam::${deps.account.accountId}:role/flint-warm-up`,
    description: "Flint's invoke path warm-up",
    timeoutSec: 3,
    memorySizeMb: 1024,
    ephemeralStorageMb: 512,
    environment: {},
    architectures: ['x86_64'],
    layers: [],
    packageType: 'Zip',
    loggingConfig: { LogFormat: 'Text', LogGroup: logGroup },
    tracingMode: 'PassThrough',
    codeSha256Hex: code.sha256Hex,
    codeSize: code.size,
    revisionId: randomUUID(),
    lastModifiedMs: deps.clock.now(),
    state: 'Active',
    lastUpdateStatus: 'Successful',
  };
  return { config, invokedFunctionArn: arn };
}

function sha256HexOf(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The warm-up's deployment package: the same bytes every start (fixed times), so its key is too. */
function warmUpPackage(): Promise<Buffer> {
  return zipBytes((zip) => zip.addBuffer(Buffer.from(HANDLER_SOURCE), 'index.js', { mode: 0o100644, mtime: new Date(Date.UTC(2026, 0, 1)) }));
}
