/** What the async-invoke component needs from the others (wired in main.ts). */
import type { InvokeRequest, InvokeResult, ResolvedTarget } from '../model/index.ts';

/** The control plane's FunctionResolver, as far as this component uses it. */
export interface FunctionLookup {
  /** Checks FunctionName (+ Qualifier) as a path label; throws Lambda's ValidationException / 400, or FunctionNotFound. */
  parse(functionName: string | undefined, operation: 'write' | 'read', qualifier?: string): { readonly name: string; readonly qualifier: string | undefined };
  /** The version that runs for this name and qualifier; throws FunctionNotFound when there is none. */
  resolve(functionName: string, qualifier: string | undefined): Promise<ResolvedTarget>;
}

/**
 * The front end's one invoke path (resolve, checks, counting lease, worker claim,
 * sandbox). Throws domain errors: FunctionNotFound, FunctionNotReady, Throttled,
 * PlatformFault...
 */
export interface Invoker {
  invoke(request: InvokeRequest): Promise<InvokeResult>;
}

/** Platform lines written to a function's log group (the attempt count of each async delivery). */
export interface AttemptLog {
  write(functionName: string, version: string, line: string, timestampMs: number): void;
}

/** A message for an SQS queue (the queue service's QueueMessageToSend, as far as this component uses it). */
export interface QueueMessage {
  readonly body: string;
  readonly messageAttributes?: Readonly<Record<string, { readonly dataType: string; readonly stringValue?: string }>>;
}

/**
 * Flint's SQS-compatible queues, as SQS destinations and dead-letter queues use them (the queue
 * service's QueueSender). `send` rejects when the queue does not exist (or the ARN names none of Flint's).
 */
export interface DestinationQueues {
  send(queueArn: string, message: QueueMessage): Promise<{ readonly messageId: string }>;
}
