/** What the async-invoke component needs from the others (wired in main.ts). */
import type { FunctionVersionConfig, InvocationOutcome, InvocationRequest } from '../model/index.ts';

export interface AsyncTarget {
  readonly config: FunctionVersionConfig;
  /** The ARN as invoked: unqualified, or with the qualifier used. */
  readonly invokedFunctionArn: string;
}

/** The control plane's FunctionResolver, as far as this component uses it. */
export interface FunctionLookup {
  /** Checks FunctionName (+ Qualifier) as a path label; throws Lambda's ValidationException / 404 / 400. */
  parse(functionName: string | undefined, operation: 'write' | 'read', qualifier?: string): { readonly name: string; readonly qualifier: string | undefined };
  /** The version that runs for this name and qualifier; throws ResourceNotFoundException when there is none. */
  resolve(functionName: string, qualifier: string | undefined): AsyncTarget;
}

/** The synchronous invoke path (counting lease, worker manager claim, sandbox); throws ApiError on throttle. */
export interface Invoker {
  invoke(target: AsyncTarget, request: InvocationRequest): Promise<InvocationOutcome>;
}

/** Platform lines written to a function's log group (the attempt count of each async delivery). */
export interface AttemptLog {
  write(functionName: string, version: string, line: string, timestampMs: number): void;
}
