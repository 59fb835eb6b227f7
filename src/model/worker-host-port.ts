/**
 * The host protocol: what the worker manager needs from worker hosts (its port), and what
 * a worker host implements. A worker host runs sandboxes on one machine; in the embedded
 * default there is one, in-process. Declared here, in neither component, so that the
 * worker host depends on the contract and not on the worker manager or placement.
 */
import type { FunctionVersionConfig } from './function-config.ts';
import type { InvocationOutcome, InvocationRequest } from './invocation.ts';

export type InitializationType = 'on-demand' | 'provisioned-concurrency';

/** A sandbox's execution-role credentials (its AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN). */
export interface SandboxCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

export interface HostSandbox {
  readonly id: string;
  readonly hostId: string;
  /**
   * Runs one invocation. Pre: no other invocation is running in this sandbox.
   * Resolves with the outcome (function errors included, never thrown); rejects
   * only for platform failures. Afterwards `alive` tells whether it can be reused.
   * With `request.responseSink`, a streamed response's body goes to the sink while the
   * function runs and the outcome only settles it (`streamed`, or the error); without
   * one, a streamed response is buffered into the outcome (6 MB).
   */
  invoke(request: InvocationRequest): Promise<InvocationOutcome>;
  /**
   * False once the sandbox is Dead (OOM kill, failed init served, destroyed). After a timeout or a
   * runtime crash it stays alive: its runtime restarts and its next invocation waits for that.
   */
  readonly alive: boolean;
  /** Memory the sandbox is charged for on its host (its MemorySize). */
  readonly memoryMb: number;
  /** The errorType of a failed init phase (`Runtime.ImportModuleError`, `Sandbox.Timedout`...); undefined when init succeeded. */
  readonly initError: string | undefined;
  /** Ends the sandbox; its memory stops counting on its host as soon as this is called. Idempotent. */
  destroy(reason: string): Promise<void>;
}

export interface WorkerHostPort {
  readonly id: string;
  /**
   * Starts a sandbox for one function version (from the pre-started pool when it can)
   * and runs its init phase. The sandbox's memory counts on the host from the moment
   * this is called. An init failure does not reject: the sandbox reports it in
   * `initError` and as the outcome of its first invocation, as Lambda does.
   * `provisioned-concurrency` sandboxes report no Init Duration on their first invoke.
   */
  createSandbox(version: FunctionVersionConfig, initType: InitializationType, credentials?: SandboxCredentials): Promise<HostSandbox>;
}
