/**
 * What a workload can ask of a system under test. Flint, the peer
 * (serverless-offline) and the baseline (a plain Node server) each implement it;
 * every invoke goes through @aws-sdk/client-lambda from the benchmark process.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { HandlerKind } from '../workloads/handler-source.ts';

export type TargetName = 'flint' | 'peer' | 'baseline';
export const TARGET_NAMES: readonly TargetName[] = ['flint', 'peer', 'baseline'];

/** A function to invoke: the client pointed at its server, and its name there. */
export interface BenchFunction {
  readonly client: LambdaClient;
  readonly name: string;
}

/** A workload this target cannot do, and why (shown in the report instead of a figure). */
export interface Unsupported {
  readonly unsupported: string;
  /** What was measured instead, for context only (printed as a note, never as the figure). */
  readonly context?: string;
}

export const isUnsupported = (x: unknown): x is Unsupported => typeof x === 'object' && x !== null && 'unsupported' in x;

export interface SandboxMemory {
  readonly pssMiB: number;
  readonly ussMiB: number;
}

export interface IdleMemory {
  /** One entry per idle sandbox (the baseline: its one process). */
  readonly perSandbox: readonly SandboxMemory[];
}

/** Where a function answers plain HTTP (a function URL, an HTTP API route). */
export interface HttpRoute {
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A queue mapped to a function (an SQS event source mapping), ready for messages. */
export interface QueueMapping {
  /** Where SendMessageBatch goes (an SQS endpoint) and the queue's URL there. */
  readonly sqsEndpoint: string;
  readonly queueUrl: string;
  /** The mapped function (its handler logs its start for every record whose body carries a mark). */
  readonly fn: BenchFunction;
  /** Deletes the mapping and the queue. */
  close(): Promise<void>;
}

export interface Target {
  readonly name: TargetName;
  /** The function of `kind` that the warm workloads share (created on first use). */
  warmFunction(kind: HandlerKind): Promise<BenchFunction>;
  /** A function of `kind` on which nothing has run yet (scale-up starts from 0 sandboxes). */
  freshFunction(kind: HandlerKind, purpose: string): Promise<BenchFunction | Unsupported>;
  /** Lets the target free what `fn` holds (Flint deletes the function and its sandboxes). */
  retire(fn: BenchFunction): Promise<void>;
  /** `samples` cold starts (ms from the request to its answer), each on a new version, with or without the pre-started pool. */
  coldStarts(kind: HandlerKind, withPool: boolean, samples: number): Promise<number[] | Unsupported>;
  /** Memory of idle sandboxes of `kind`, with `sandboxes` of them started at once. */
  idleMemory(kind: HandlerKind, sandboxes: number): Promise<IdleMemory | Unsupported>;
  /** When the handler started for each event logged with `mark` (event index -> epoch ms); waits for `count`. */
  executions(fn: BenchFunction, mark: string, count: number, timeoutMs: number): Promise<Map<number, number>>;
  /** The warm function of `kind` over plain HTTP (Flint: a function URL; the peer: an httpApi route). */
  httpRoute(kind: HandlerKind): Promise<HttpRoute | Unsupported>;
  /** A new queue mapped (BatchSize 10) to the warm function of `kind`, its mapping Enabled. */
  queueMapping(kind: HandlerKind): Promise<QueueMapping | Unsupported>;
  /** Facts to print in the report (versions, isolation, settings). */
  describe(): Record<string, string>;
  /** What the target's server logged as errors since `sinceMs` (for a failed workload's line in the report), if it keeps logs. */
  errorsSince?(sinceMs: number): string[];
  stop(): Promise<void>;
}
