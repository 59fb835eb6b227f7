/**
 * What the front end needs from other components (its ports). main.ts plugs in the
 * control plane's resolver, the counting service, the worker manager and the
 * async-invoke queue; unit tests plug in fakes.
 */
import type { FunctionVersionConfig, InvocationOutcome, InvocationRequest, InvokeRequest, InvokeResult, ResolvedTarget } from '../model/index.ts';

/**
 * Resolves FunctionName (+ Qualifier) to one version. Throws FunctionNotFound when
 * nothing matches, and the API's ValidationException / InvalidParameterValueException
 * for a malformed name or a qualifier that contradicts the ARN. Keeps what warm
 * invokes need in memory: a warm invoke does not reach the database.
 */
export interface FunctionResolver {
  resolve(functionName: string, qualifier: string | undefined): Promise<ResolvedTarget>;
}

/** Capacity taken for one execution; `release` is idempotent. */
export interface Lease {
  release(): void;
}

/** Account and per-function concurrency (the counting service). */
export interface CountingPort {
  /** Takes one unit of concurrency of the function, or throws Throttled. */
  acquire(functionName: string): Lease;
}

/** A sandbox held for exactly one invocation; `release` is idempotent. */
export interface SandboxClaim {
  readonly sandbox: {
    /** Resolves with the outcome (function errors included); rejects only for platform failures. */
    invoke(request: InvocationRequest): Promise<InvocationOutcome>;
  };
  /** True when this claim started a new sandbox (a cold start). */
  readonly cold: boolean;
  release(): void;
}

/** Sandboxes (the worker manager). */
export interface WorkersPort {
  /** A warm idle sandbox of the version, or a cold start; throws Throttled (scale-up rate, no room) or a platform error. */
  claim(version: FunctionVersionConfig): Promise<SandboxClaim>;
}

/** The internal queue of asynchronous invocations (async-invoke's face toward the front end). */
export interface EventQueuePort {
  /** Commits the invocation durably; returns only once it would survive a crash. */
  enqueue(target: ResolvedTarget, request: { readonly requestId: string; readonly payload: Buffer }): Promise<void>;
}

/**
 * Cluster only: which front end owns a function (runs its invokes, holds its warm sandboxes and
 * counts its concurrency), and the way to hand an invoke to it.
 */
export interface OwnerRouting {
  /** The owner's endpoint, or undefined when this front end owns the function. */
  ownerOf(functionName: string): string | undefined;
  /**
   * Runs the invoke on the owner: its result, its domain error rethrown, or 'unreachable' when the
   * request never reached it (connection refused: it may run here instead). `functionTimeoutMs`: the
   * function's timeout, which bounds the wait for the owner's answer (plus a margin).
   */
  forward(endpoint: string, request: InvokeRequest, functionTimeoutMs: number): Promise<InvokeResult | 'unreachable'>;
}

/** Receives a record of every invocation and throttle (metrics). */
export interface InvokeObserver {
  invoked(functionName: string, result: 'success' | 'error', cold: boolean, durationMs: number, initDurationMs: number | undefined): void;
  throttled(functionName: string, reason: string): void;
}
