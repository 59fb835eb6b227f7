/** What the front end needs from other components. */
import type { FunctionVersionConfig, HostSandbox } from '../model/index.ts';

export interface ResolvedTarget {
  /** The configuration of the version that will run. */
  readonly config: FunctionVersionConfig;
  /** The ARN as invoked: unqualified, or with the qualifier the caller used. */
  readonly invokedFunctionArn: string;
}

/** Resolves FunctionName (+ Qualifier) to one version; throws the API's 404 / 400 errors. */
export interface FunctionResolver {
  resolve(functionName: string, qualifier: string | undefined): ResolvedTarget;
}

/** Admission against account and reserved concurrency (the counting service). */
export interface CountingPort {
  /** Throws the 429 TooManyRequestsException (with its Reason) when there is no room; else holds one execution until `release()`. */
  acquire(functionName: string): { release(): void };
}

/** Sandboxes for invocations (the worker manager): warm when one is idle, else a cold start. */
export interface WorkerPort {
  /** Resolves with a sandbox held for this invocation alone until `release()`; throws 429s when none may start. */
  claim(version: FunctionVersionConfig): Promise<{ readonly sandbox: HostSandbox; readonly cold: boolean; release(): void }>;
}
