/**
 * How a front end hands a synchronous invoke to the front end that owns the function, and
 * gets its result back (cluster only): the invoke request, the result, and the domain errors
 * the owner may end with, as JSON. Payloads travel as base64; the owner never forwards again.
 */
import {
  FunctionNotFound,
  FunctionNotReady,
  PlatformFault,
  RuntimeUnavailable,
  Throttled,
  type FunctionState,
  type InvocationOutcome,
  type InvokeRequest,
  type InvokeResult,
  type KnownDomainError,
  type ResolvedTarget,
  type ThrottleReason,
} from '../model/index.ts';

/** The internal route's path on every front end. */
export const FORWARDED_INVOKE_PATH = '/flint/cluster/invoke';
/** The header that carries the cluster's shared key. */
export const CLUSTER_KEY_HEADER = 'x-flint-cluster-key';

export interface ForwardedRequestWire {
  readonly entry: InvokeRequest['entry'];
  readonly requestId: string;
  readonly functionName: string;
  readonly qualifier: string | null;
  readonly payload: string;
  readonly clientContext: string | null;
  readonly tailLog: boolean;
}

type OutcomeWire = Omit<InvocationOutcome, 'payload'> & { readonly payload: string };

type ErrorWire =
  | { readonly kind: 'FunctionNotFound'; readonly resource: string }
  | { readonly kind: 'FunctionNotReady'; readonly functionName: string; readonly state: FunctionState }
  | { readonly kind: 'Throttled'; readonly reason: ThrottleReason; readonly retryAfterMs: number | null }
  | { readonly kind: 'RuntimeUnavailable'; readonly problem: RuntimeUnavailable['problem']; readonly message: string }
  | { readonly kind: 'PlatformFault'; readonly message: string };

export type ForwardedAnswerWire =
  | { readonly ok: true; readonly target: ResolvedTarget; readonly outcome: OutcomeWire }
  | { readonly ok: false; readonly error: ErrorWire };

export function encodeForwardedRequest(r: InvokeRequest): ForwardedRequestWire {
  return {
    entry: r.entry,
    requestId: r.requestId,
    functionName: r.functionName,
    qualifier: r.qualifier ?? null,
    payload: r.payload.toString('base64'),
    clientContext: r.clientContext ?? null,
    tailLog: r.tailLog === true,
  };
}

export function decodeForwardedRequest(w: ForwardedRequestWire): InvokeRequest {
  return {
    entry: w.entry,
    requestId: w.requestId,
    functionName: w.functionName,
    qualifier: w.qualifier ?? undefined,
    invocationType: 'RequestResponse',
    payload: Buffer.from(w.payload, 'base64'),
    clientContext: w.clientContext ?? undefined,
    tailLog: w.tailLog,
  };
}

/** Only completed invokes are forwarded (DryRun and Event stay where they arrived). */
export function encodeForwardedResult(result: InvokeResult): ForwardedAnswerWire {
  if (result.kind !== 'completed') throw new Error(`a forwarded invoke ended as ${result.kind}`);
  return { ok: true, target: result.target, outcome: { ...result.outcome, payload: result.outcome.payload.toString('base64') } };
}

/** The owner's domain error as data; any other failure travels as a PlatformFault. */
export function encodeForwardedError(err: KnownDomainError): ForwardedAnswerWire {
  switch (err.kind) {
    case 'FunctionNotFound':
      return { ok: false, error: { kind: err.kind, resource: err.resource } };
    case 'FunctionNotReady':
      return { ok: false, error: { kind: err.kind, functionName: err.functionName, state: err.state } };
    case 'Throttled':
      return { ok: false, error: { kind: err.kind, reason: err.reason, retryAfterMs: err.retryAfterMs ?? null } };
    case 'RuntimeUnavailable':
      return { ok: false, error: { kind: err.kind, problem: err.problem, message: err.message } };
    default:
      return { ok: false, error: { kind: 'PlatformFault', message: err.message } };
  }
}

/** The result, or throws the owner's domain error. */
export function decodeForwardedAnswer(w: ForwardedAnswerWire): InvokeResult {
  if (w.ok) return { kind: 'completed', target: w.target, outcome: { ...w.outcome, payload: Buffer.from(w.outcome.payload, 'base64') } };
  const e = w.error;
  switch (e.kind) {
    case 'FunctionNotFound':
      throw new FunctionNotFound(e.resource);
    case 'FunctionNotReady':
      throw new FunctionNotReady(e.functionName, e.state);
    case 'Throttled':
      throw new Throttled(e.reason, e.retryAfterMs ?? undefined);
    case 'RuntimeUnavailable':
      throw new RuntimeUnavailable(e.problem, e.message);
    case 'PlatformFault':
      throw new PlatformFault(new Error(`on the owning front end: ${e.message}`));
  }
}
