/** What the event-sources component needs from the others (wired in main.ts). */
import type { InvokeRequest, InvokeResult, ResolvedTarget } from '../model/index.ts';

export type { QueueConsumer, QueueSender, ReceivedQueueMessage, QueueInfo } from '../queues/index.ts';

/** The control plane's FunctionResolver, as far as this component uses it. */
export interface FunctionLookup {
  /** Checks FunctionName (name, partial or full ARN, optionally qualified); throws Lambda's ValidationException. */
  parse(functionName: string | undefined, operation: 'write' | 'read', qualifier?: string): { readonly name: string; readonly qualifier: string | undefined };
  /** The version that runs for this name and qualifier; throws FunctionNotFound when there is none. */
  resolve(functionName: string, qualifier: string | undefined): Promise<ResolvedTarget>;
}

/** The front end's one invoke path; throws domain errors (FunctionNotFound, Throttled, ...). */
export interface Invoker {
  invoke(request: InvokeRequest): Promise<InvokeResult>;
}
